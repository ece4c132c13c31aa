/** Base64, the same in Node and the browser, for the payload's binary parts. */
import { expect } from './payloadError';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  LOOKUP[ALPHABET.charCodeAt(i)] = i;
}

/**
 * Encodes bytes as base64 (the same in Node and the browser).
 *
 * @param bytes - the bytes
 * @returns standard, padded base64
 */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    const end = Math.min(offset + CHUNK, bytes.length);
    let s = '';
    for (let i = offset; i < end; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
      s += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
      s += i + 1 < end ? ALPHABET[(n >> 6) & 63] : '=';
      s += i + 2 < end ? ALPHABET[n & 63] : '=';
    }
    parts.push(s);
  }
  return parts.join('');
}

/**
 * Number of bytes a base64 string decodes to.
 *
 * @param text - padded base64
 * @returns the byte count, or -1 when the text is not padded base64
 */
export function base64ByteLength(text: string): number {
  if (text.length % 4 !== 0) {
    return -1;
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/**
 * Decodes base64 into bytes.
 *
 * @param text - padded base64
 * @param what - what the bytes are, for the message (default: the weights)
 * @returns the bytes
 * @throws PayloadError when the text is not base64
 */
export function fromBase64(text: string, what = 'The weights'): Uint8Array {
  const length = base64ByteLength(text);
  expect(length >= 0, `${what} are not valid base64.`);
  const out = new Uint8Array(length);
  const digit = (i: number): number => {
    const ch = text.charCodeAt(i);
    return ch === 61 ? 0 : ch < 128 ? LOOKUP[ch] : -1;
  };
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = digit(i);
    const b = digit(i + 1);
    const c = digit(i + 2);
    const d = digit(i + 3);
    expect((a | b | c | d) >= 0, `${what} are not valid base64.`);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = (n >> 16) & 255;
    if (o < length) out[o++] = (n >> 8) & 255;
    if (o < length) out[o++] = n & 255;
  }
  return out;
}
