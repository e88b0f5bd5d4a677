// Type conversion, per cty's convert package: the rules `variable { type = … }`, the to* functions
// and `convert` apply. Owns convertValue (value → type constraint), typeToString (the spelling of
// a type in messages) and the number/string conversions the rest of the library reuses. It never
// guesses: a conversion cty refuses (bool → number, list → map, "yes" → bool) is an error.
//
// `convert(value, type)` receives its type as a Value: an HclType serialised as plain data, e.g.
// {"kind":"list","elem":{"kind":"string"}}; the bare strings "string", "number", "bool" and "any"
// are accepted as shorthands. The evaluator turns a type expression into that form.
import type { Value, ValueObject } from '../hcl/value.js';
import { isObject } from '../hcl/value.js';
import type { HclFunction, HclObjectAttr, HclType } from './types.js';
import { FunctionError } from './types.js';
import { compareStrings, dedupe, describeKind, setKey, sortedKeys } from './value-ops.js';

/** The HCL spelling of a type: "list(string)", "object({a=string,b=optional(number)})". */
export function typeToString(type: HclType): string {
  switch (type.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'any':
      return type.kind;
    case 'list':
    case 'set':
    case 'map':
      return `${type.kind}(${typeToString(type.elem)})`;
    case 'tuple':
      return `tuple([${type.elems.map(typeToString).join(',')}])`;
    case 'object':
      return `object({${Object.keys(type.attrs)
        .sort(compareStrings)
        .map((k) => {
          const a = type.attrs[k] as HclObjectAttr;
          return `${k}=${a.optional ? `optional(${typeToString(a.type)})` : typeToString(a.type)}`;
        })
        .join(',')}})`;
  }
}

/** "a string", "a list of string", "an object": the type as the subject of "… is required". */
export function typePhrase(type: HclType): string {
  switch (type.kind) {
    case 'any':
      return 'a value';
    case 'list':
    case 'set':
    case 'map':
      return `a ${type.kind} of ${typeToString(type.elem)}`;
    case 'object':
      return `an ${typeToString(type)}`;
    default:
      return `a ${typeToString(type)}`;
  }
}

/** A failed conversion somewhere inside the value: where, and what was wrong there. */
class ConversionFailure extends Error {
  constructor(
    readonly path: string,
    /** Said of the value at `path`: "must be a string, but got an object". */
    readonly detail: string,
    /** The same, worded to follow "<type> is required" when the failure is at the top level. */
    readonly topDetail: string,
  ) {
    super(detail);
  }
}

/**
 * Converts a value to a type constraint as cty does, or throws FunctionError (argIndex unset; the
 * caller knows which argument it converted). null converts to every type and stays null.
 */
export function convertValue(value: Value, type: HclType): Value {
  try {
    return convertAt(value, type, '');
  } catch (err) {
    if (!(err instanceof ConversionFailure)) throw err;
    const tail = err.path === '' ? err.topDetail : `; ${err.path} ${err.detail}`;
    throw new FunctionError(`${typePhrase(type)} is required${tail}`);
  }
}

function mismatch(path: string, want: HclType, got: Value): ConversionFailure {
  const what = typeof got === 'string' ? `the string ${JSON.stringify(got)}` : describeKind(got);
  return new ConversionFailure(path, `must be ${typePhrase(want)}, but got ${what}`, `, but got ${what}`);
}

function join(path: string, step: string): string {
  return path === '' ? step : `${path}, ${step}`;
}

function convertAt(value: Value, type: HclType, path: string): Value {
  if (value === null || type.kind === 'any') return value;
  switch (type.kind) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return numberToString(value);
      if (typeof value === 'boolean') return value ? 'true' : 'false';
      throw mismatch(path, type, value);
    case 'number': {
      if (typeof value === 'number') return value;
      const n = typeof value === 'string' ? parseNumber(value) : undefined;
      if (n === undefined) throw mismatch(path, type, value);
      return n;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
        const hint = `to convert from string, use lowercase "${value.toLowerCase()}"`;
        throw new ConversionFailure(path, `must be a bool; ${hint}`, `; ${hint}`);
      }
      throw mismatch(path, type, value);
    case 'list':
    case 'set': {
      if (!Array.isArray(value)) throw mismatch(path, type, value);
      const items = unifyElements(value, type.elem, path, (i) => `element ${i}`);
      return type.kind === 'set' ? toSetOrder(items) : items;
    }
    case 'map': {
      if (!isObject(value)) throw mismatch(path, type, value);
      const keys = sortedKeys(value);
      const items = unifyElements(
        keys.map((k) => value[k] ?? null),
        type.elem,
        path,
        (i) => `element ${JSON.stringify(keys[i])}`,
      );
      const out: ValueObject = {};
      keys.forEach((k, i) => setKey(out, k, items[i] ?? null));
      return out;
    }
    case 'tuple': {
      if (!Array.isArray(value)) throw mismatch(path, type, value);
      if (value.length !== type.elems.length) {
        const why = `${type.elems.length} elements, but got ${value.length}`;
        throw new ConversionFailure(path, `must have ${why}`, ` with ${why}`);
      }
      return type.elems.map((t, i) => convertAt(value[i] ?? null, t, join(path, `element ${i}`)));
    }
    case 'object': {
      if (!isObject(value)) throw mismatch(path, type, value);
      const out: ValueObject = {};
      for (const name of Object.keys(type.attrs).sort(compareStrings)) {
        const attr = type.attrs[name] as HclObjectAttr;
        const step = join(path, `attribute ${JSON.stringify(name)}`);
        const given = Object.hasOwn(value, name) ? (value[name] ?? null) : undefined;
        if (given === undefined && !attr.optional) {
          const why = `attribute ${JSON.stringify(name)} is missing`;
          throw new ConversionFailure(path, `is missing attribute ${JSON.stringify(name)}`, `; ${why}`);
        }
        // An optional attribute left out or set to null takes its default, as Terraform's optional() does.
        const chosen = given ?? (attr.optional ? (attr.default ?? null) : null);
        setKey(out, name, convertAt(chosen, attr.type, step));
      }
      return out;
    }
  }
}

/**
 * Converts each element to `elem`. When `elem` is `any`, the elements must first agree on one type,
 * as cty's unification demands: mixed primitives unify to string when a string is among them,
 * and any other mixture is refused.
 */
function unifyElements(items: Value[], elem: HclType, path: string, step: (i: number) => string): Value[] {
  let target = elem;
  if (elem.kind === 'any') {
    const kinds = new Set(items.filter((v) => v !== null).map(kindOf));
    if (kinds.size > 1) {
      const primitive = [...kinds].every((k) => k === 'string' || k === 'number' || k === 'bool');
      if (!primitive || !kinds.has('string')) {
        const why = `its elements do not share a single type (found ${[...kinds].sort().join(', ')})`;
        throw new ConversionFailure(path, `cannot be converted: ${why}`, `; ${why}`);
      }
      target = { kind: 'string' };
    }
  }
  return items.map((v, i) => convertAt(v, target, join(path, step(i))));
}

function kindOf(v: Value): string {
  if (Array.isArray(v)) return 'list';
  if (isObject(v)) return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/**
 * Deduplicates and orders a set's elements as cty iterates them: strings in code point order,
 * numbers ascending, bools false first; sets of collections keep first-seen order.
 */
export function toSetOrder(items: Value[]): Value[] {
  const unique = dedupe(items);
  if (unique.every((v) => typeof v === 'string')) return (unique as string[]).sort(compareStrings);
  if (unique.every((v) => typeof v === 'number')) return (unique as number[]).sort((a, b) => a - b);
  if (unique.every((v) => typeof v === 'boolean')) return (unique as boolean[]).sort((a, b) => Number(a) - Number(b));
  return unique;
}

/** cty's number → string: full decimal notation, never an exponent ("1e+21" → "1000000000000000000000"). */
export function numberToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return '0';
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign = '', int = '', frac = '', expText = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(expText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** cty's string → number: a decimal number, optionally signed, with optional fraction and exponent. */
export function parseNumber(s: string): number | undefined {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Reads a type given as a value (see the header) back into an HclType. */
export function typeFromValue(v: Value): HclType | undefined {
  if (v === 'string' || v === 'number' || v === 'bool' || v === 'any') return { kind: v };
  if (!isObject(v)) return undefined;
  const kind = v['kind'];
  switch (kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'any':
      return { kind };
    case 'list':
    case 'set':
    case 'map': {
      const elem = typeFromValue(v['elem'] ?? null);
      return elem === undefined ? undefined : { kind, elem };
    }
    case 'tuple': {
      const raw = v['elems'];
      if (!Array.isArray(raw)) return undefined;
      const elems = raw.map(typeFromValue);
      return elems.every((e) => e !== undefined) ? { kind, elems: elems as HclType[] } : undefined;
    }
    case 'object': {
      const raw = v['attrs'];
      if (raw === undefined || !isObject(raw)) return undefined;
      const attrs: Record<string, HclObjectAttr> = {};
      for (const [name, spec] of Object.entries(raw)) {
        if (!isObject(spec)) return undefined;
        const type = typeFromValue(spec['type'] ?? null);
        if (type === undefined) return undefined;
        const attr: HclObjectAttr = { type, optional: spec['optional'] === true };
        if (Object.hasOwn(spec, 'default')) attr.default = spec['default'] ?? null;
        attrs[name] = attr;
      }
      return { kind, attrs };
    }
    default:
      return undefined;
  }
}

/** A one-argument conversion function that refuses collections, as tostring/tonumber/tobool do. */
function primitiveConverter(type: HclType): HclFunction {
  return {
    params: ['v'],
    impl([v = null]) {
      if (Array.isArray(v) || isObject(v)) {
        throw new FunctionError(`Invalid value for "v" parameter: cannot convert ${describeKind(v)} to ${typeToString(type)}`, 0);
      }
      return withArg(0, 'v', () => convertValue(v, type));
    },
  };
}

function collectionConverter(type: HclType): HclFunction {
  return { params: ['v'], impl: ([v = null]) => withArg(0, 'v', () => convertValue(v, type)) };
}

/** Re-throws a conversion error as an "Invalid value for … parameter" error on one argument. */
export function withArg<T>(index: number, param: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FunctionError && err.argIndex === undefined) {
      throw new FunctionError(`Invalid value for "${param}" parameter: ${err.message}`, index);
    }
    throw err;
  }
}

const anyType: HclType = { kind: 'any' };

export const conversionFunctions: Record<string, HclFunction> = {
  tostring: primitiveConverter({ kind: 'string' }),
  tonumber: primitiveConverter({ kind: 'number' }),
  tobool: primitiveConverter({ kind: 'bool' }),
  tolist: collectionConverter({ kind: 'list', elem: anyType }),
  toset: collectionConverter({ kind: 'set', elem: anyType }),
  tomap: collectionConverter({ kind: 'map', elem: anyType }),
  convert: {
    params: ['value', 'type'],
    impl([value = null, typeArg = null]) {
      const type = typeFromValue(typeArg);
      if (type === undefined) {
        throw new FunctionError('Invalid value for "type" parameter: a type constraint is required, such as list(string)', 1);
      }
      return withArg(0, 'value', () => convertValue(value, type));
    },
  },
};
