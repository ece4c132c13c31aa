/** JSON values as configs and files hold them, and the helpers every reader of them needs. */
import { isObject } from '../protocol/guards';

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/**
 * Tells whether a JSON value is an object (not an array, not null): the protocol's
 * `isObject`, typed for JSON.
 */
export const isJsonObject = isObject as (v: unknown) => v is JsonObject;

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
