/** JSON values as configs and files hold them, and the helpers every reader of them needs. */

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/**
 * Tells whether a JSON value is an object (not an array, not null).
 *
 * @param v - any value
 * @returns true for a JSON object
 */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A copy of an object without some keys.
 *
 * @param config - any JSON object
 * @param keys - the keys to leave out
 * @returns the copy
 */
export function without(config: JsonObject, ...keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(config).filter(([k]) => !keys.includes(k)));
}
