// Key order and key ranges. Keys are ordered by Unicode code point, which is the UTF-8 byte order
// etcd and SQLite's BINARY collation use, so every backend sorts and slices ranges identically.
// This module owns that order; nothing else may compare keys with `<` on raw strings (UTF-16
// code-unit order differs from it for characters outside the Basic Multilingual Plane).
import { InvalidRequestError } from './errors.js';
import type { KeyRange } from './kv.js';

/** Normalised half-open interval [start, end); `end === undefined` means unbounded. */
export interface KeyBounds {
  readonly start: string;
  readonly end: string | undefined;
}

/** Compare two well-formed strings by code point (= UTF-8 byte order). */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return weight(x) - weight(y);
  }
  return a.length - b.length;
}

// Surrogates (D800–DFFF) encode code points above FFFF, so they must sort after E000–FFFF.
function weight(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** The smallest key greater than every key starting with `prefix`, or undefined if none exists. */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < 0x10ffff) {
      points.push(last === 0xd7ff ? 0xe000 : last + 1);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}

const loneSurrogate = /\p{Cs}/u;
function wellFormed(s: string): boolean {
  return !loneSurrogate.test(s);
}

export function validateKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidRequestError('key must be a non-empty string');
  if (!wellFormed(key)) throw new InvalidRequestError(`key ${JSON.stringify(key)} contains a lone surrogate`);
}

export function boundsOf(range: KeyRange): KeyBounds {
  if ('key' in range) {
    validateKey(range.key);
    return { start: range.key, end: range.key + '\0' };
  }
  if ('prefix' in range) {
    if (!wellFormed(range.prefix)) throw new InvalidRequestError('prefix contains a lone surrogate');
    return { start: range.prefix, end: prefixEnd(range.prefix) };
  }
  if (!wellFormed(range.start) || (range.end !== undefined && !wellFormed(range.end))) {
    throw new InvalidRequestError('range bound contains a lone surrogate');
  }
  return { start: range.start, end: range.end };
}

export function inBounds(key: string, b: KeyBounds): boolean {
  return compareKeys(key, b.start) >= 0 && (b.end === undefined || compareKeys(key, b.end) < 0);
}

/** Do two intervals share at least one key? */
export function boundsOverlap(a: KeyBounds, b: KeyBounds): boolean {
  const startsBeforeBEnds = b.end === undefined || compareKeys(a.start, b.end) < 0;
  const bStartsBeforeAEnds = a.end === undefined || compareKeys(b.start, a.end) < 0;
  return startsBeforeBEnds && bStartsBeforeAEnds;
}
