// Value helpers shared by the function library: cty-style equality, the key order cty uses for
// maps and objects, and plain-language descriptions of values for error messages. They never
// mutate their inputs.
import type { Value, ValueObject } from '../hcl/value.js';
import { isObject } from '../hcl/value.js';

/** Deep equality as cty's Value.Equals sees it: no conversion, so `1` never equals `"1"`. */
export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valueEquals(item, b[i] ?? null));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && valueEquals(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

/** Removes later duplicates (cty equality), keeping the first occurrence's position. */
export function dedupe(items: readonly Value[]): Value[] {
  const out: Value[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    // Primitives dedupe through a keyed set; collections fall back to a linear scan.
    if (item === null || typeof item !== 'object') {
      const key = `${typeof item}:${String(item)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    } else if (!out.some((o) => valueEquals(o, item))) {
      out.push(item);
    }
  }
  return out;
}

/**
 * Orders strings as Go compares them (by UTF-8 bytes, which is code point order), not by UTF-16
 * code units as JavaScript's default sort does. cty iterates map keys and object attributes in
 * this order, so keys(), values(), jsonencode and yamlencode all use it.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** The keys of a map or object in cty's iteration order. */
export function sortedKeys(obj: ValueObject): string[] {
  return Object.keys(obj).sort(compareStrings);
}

/** "a string", "a number", "a bool", "a tuple", "an object", "null": what a value is, for messages. */
export function describeKind(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isObject(v)) return 'an object';
  return typeof v === 'boolean' ? 'a bool' : `a ${typeof v}`;
}

/**
 * Sets a key on an object as an own data property. Plain assignment would treat a user-supplied
 * "__proto__" key as the prototype setter; map keys come from jobspecs and decoded documents.
 */
export function setKey(obj: ValueObject, key: string, value: Value): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Grapheme clusters of a string: cty measures and slices strings in these, not code units. */
export function graphemes(s: string): string[] {
  const out: string[] = [];
  for (const seg of segmenter.segment(s)) out.push(seg.segment);
  return out;
}
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
