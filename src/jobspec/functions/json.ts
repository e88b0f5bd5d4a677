// JSON encoding and decoding as cty's json package does it: object keys sorted, no whitespace,
// numbers in full decimal notation, and the HTML-sensitive characters <, >, & plus U+2028/U+2029
// escaped as Go's encoding/json does. Decoded objects and arrays become plain objects and arrays.
import type { Value, ValueObject } from '../hcl/value.js';
import { argError, stringArg } from './args.js';
import { numberToString } from './conversion.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { setKey, sortedKeys } from './value-ops.js';

/** Go's encoding/json string quoting (with its HTML escaping). */
export function quoteJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Encodes a value the way jsonencode and format's %#v do. */
export function encodeJson(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quoteJsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new FunctionError(`value ${numberToString(v)} cannot be represented in JSON`);
    return numberToString(v);
  }
  if (Array.isArray(v)) return `[${v.map(encodeJson).join(',')}]`;
  return `{${sortedKeys(v)
    .map((k) => `${quoteJsonString(k)}:${encodeJson(v[k] ?? null)}`)
    .join(',')}}`;
}

/** Parses JSON into a Value; objects are built with own properties only (see setKey). */
export function decodeJson(text: string): Value {
  const parsed: unknown = JSON.parse(text);
  return fromJs(parsed);
}

function fromJs(v: unknown): Value {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromJs);
  const out: ValueObject = {};
  for (const [k, item] of Object.entries(v as Record<string, unknown>)) setKey(out, k, fromJs(item));
  return out;
}

export const jsonFunctions: Record<string, HclFunction> = {
  jsonencode: {
    params: ['val'],
    impl([val = null]) {
      try {
        return encodeJson(val);
      } catch (err) {
        if (err instanceof FunctionError) throw argError(0, 'val', err.message);
        throw err;
      }
    },
  },
  jsondecode: {
    params: ['str'],
    impl(args) {
      const text = stringArg(args, 0, 'str');
      try {
        return decodeJson(text);
      } catch (err) {
        throw argError(0, 'str', `the string is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  },
};
