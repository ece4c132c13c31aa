/**
 * The type guards every reader of untrusted data uses (payloads, notebook metadata, model
 * files): one home for each, importing nothing, so the protocol, core and the extension
 * share them.
 */
import type { WeightSpec } from './index';

/**
 * Tells whether a value is an object with keys (not an array, not null).
 *
 * @param v - any value
 * @returns true for an object
 */
export function isObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Tells whether a value is a whole number, 0 or more.
 *
 * @param v - any value
 * @returns true for a count
 */
export function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/**
 * Tells whether a value is a finite number (JSON has no NaN, but `1e999` parses to
 * Infinity).
 *
 * @param v - any value
 * @returns true for a finite number
 */
export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Tells whether a value is an array of numbers (finite or not).
 *
 * @param v - any value
 * @returns true for a number array
 */
export function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every(x => typeof x === 'number');
}

/**
 * Tells whether a value is a weight entry the explorer reads (tfjs' `model.json` and the
 * payload list them alike): a name, a shape of sizes and
 * dtype float32 or int32, with at most float16 quantization of float32 weights.
 *
 * @param v - any value
 * @returns true for a readable weight entry
 */
export function isWeightSpec(v: unknown): v is WeightSpec {
  return (
    isObject(v) &&
    typeof v.name === 'string' &&
    Array.isArray(v.shape) &&
    v.shape.every(isCount) &&
    (v.dtype === 'float32' || v.dtype === 'int32') &&
    isReadableQuantization(v.quantization, v.dtype)
  );
}

/**
 * Tells whether a weight's quantization is one the explorer reads: none, or float16 of
 * float32 weights.
 *
 * @param quantization - the entry's `quantization`
 * @param dtype - the entry's dtype
 * @returns true when readable
 */
export function isReadableQuantization(quantization: unknown, dtype: unknown): boolean {
  return (
    quantization === undefined ||
    (isObject(quantization) && quantization.dtype === 'float16' && dtype === 'float32')
  );
}
