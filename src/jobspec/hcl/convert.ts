// Value conversions and comparisons with cty's rules, as the evaluator and callers need them:
// number ↔ string ↔ bool conversion, number formatting, deep equality, and the type unification
// a conditional's two results must pass. Pure functions over Value.
import { isObject, typeName, type Value } from './value.js';

const NUMERIC = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a value converts to (numbers, and strings that spell a number), else undefined. */
export function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
}

/** The bool a value converts to (bools, and the strings "true"/"false"), else undefined. */
export function toBool(v: Value): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** Numbers print as cty prints them: integers in full, without an exponent. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

/** The string a primitive converts to, else undefined (null and collections do not convert). */
export function toStringValue(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/** cty equality: same type and same content; no conversion (1 == "1" is false). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x, b[i] ?? null));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && valuesEqual(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

type Kind = 'null' | 'string' | 'number' | 'bool' | 'tuple' | 'object';

/**
 * The kind two conditional results unify to, or undefined when they cannot: null unifies with
 * anything, primitives of different kinds unify to string (except number with bool), and
 * collections must be of the same kind.
 */
export function unifyKinds(a: Value, b: Value): Kind | undefined {
  const ka = typeName(a) as Kind;
  const kb = typeName(b) as Kind;
  if (ka === 'null') return kb;
  if (kb === 'null' || ka === kb) return ka;
  const prim = (k: Kind): boolean => k === 'string' || k === 'number' || k === 'bool';
  if (prim(ka) && prim(kb)) return ka === 'string' || kb === 'string' ? 'string' : undefined;
  return undefined;
}

/** Orders an object's keys as cty iterates maps and objects: lexically. */
export function sortedKeys(o: Record<string, Value>): string[] {
  return Object.keys(o).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}
