/** A payload that cannot be read; the message says what is wrong with it. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

/**
 * Throws a `PayloadError` with the message unless the condition holds.
 *
 * @param condition - what must hold
 * @param message - what is wrong otherwise
 */
export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new PayloadError(message);
  }
}
