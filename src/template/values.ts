// The Go value model the template engine works on. Templates see plain JavaScript data, read with
// Go's rules:
//   undefined          Go's invalid reflect.Value ("<no value>"): a missing map key, no data
//   null               nil (an empty interface, a nil pointer)
//   string, boolean    string, bool
//   number             int when integral, float64 otherwise; GoFloat boxes an integral float64
//   bigint             int64/uint64 beyond 2^53
//   array              a slice ([]interface {})
//   plain object, Map  a map (map[string]interface {}); keys iterate sorted, as Go's do
//   goStruct(...)      a struct: a missing field is an error, not "<no value>"
//   function           a func value (for `call`)
// Objects may carry methods (GO_METHODS), a String() (GO_STRINGER) and a JSON form (GO_JSON), so
// consul-template's types (NomadVarItems, Scratch) behave as they do in Go.
// Nothing here formats output (that is fmt/) or evaluates templates (exec.ts).
import type { TemplateFunction } from './funcs.js';

/** A float64 whose value is integral (1.0, 1e6): Go prints it as a float (`1e+06`), not an int. */
export class GoFloat {
  constructor(readonly value: number) {}
}

/** Methods a value exposes to templates (`.Keys`, `scratch.Set "k" "v"`). */
export const GO_METHODS = Symbol.for('roam.template.methods');
/** fmt.Stringer: how %v and %s print the value. */
export const GO_STRINGER = Symbol.for('roam.template.stringer');
/** json.Marshaler: the value toJSON encodes in place of this one. */
export const GO_JSON = Symbol.for('roam.template.json');
/** The Go type name of a struct-like object (`*dependency.NomadService`). */
export const GO_TYPE = Symbol.for('roam.template.type');

/** A method: a plain function (any arguments) or a typed FuncSpec. */
export type GoMethod = TemplateFunction;

interface Decorated {
  [GO_METHODS]?: Record<string, GoMethod>;
  [GO_STRINGER]?: () => string;
  [GO_JSON]?: () => unknown;
  [GO_TYPE]?: string;
}

/** Returns a float64 value: a plain number when it is not integral, a GoFloat box when it is. */
export function goFloat(n: number): number | GoFloat {
  return Number.isInteger(n) ? new GoFloat(n) : n;
}

/** Marks obj as a Go struct of the given type name (field order = key order). */
export function goStruct<T extends object>(typeName: string, obj: T, methods?: Record<string, GoMethod>): T {
  Object.defineProperty(obj, GO_TYPE, { value: typeName, enumerable: false });
  if (methods) defineMethods(obj, methods);
  return obj;
}

/** Attaches methods (non-enumerable, so they never print or iterate). */
export function defineMethods<T extends object>(obj: T, methods: Record<string, GoMethod>): T {
  Object.defineProperty(obj, GO_METHODS, { value: methods, enumerable: false });
  return obj;
}

export function defineStringer<T extends object>(obj: T, fn: () => string): T {
  Object.defineProperty(obj, GO_STRINGER, { value: fn, enumerable: false });
  return obj;
}

export function defineJSON<T extends object>(obj: T, fn: () => unknown): T {
  Object.defineProperty(obj, GO_JSON, { value: fn, enumerable: false });
  return obj;
}

export function methodsOf(v: unknown): Record<string, GoMethod> | undefined {
  return typeof v === 'object' && v !== null ? (v as Decorated)[GO_METHODS] : undefined;
}

export function stringerOf(v: unknown): (() => string) | undefined {
  return typeof v === 'object' && v !== null ? (v as Decorated)[GO_STRINGER] : undefined;
}

export function jsonOf(v: unknown): (() => unknown) | undefined {
  return typeof v === 'object' && v !== null ? (v as Decorated)[GO_JSON] : undefined;
}

export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'func';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if ((v as Decorated)[GO_TYPE] !== undefined) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined':
      return 'invalid';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'function':
      return 'func';
    case 'object':
      if (v === null) return 'nil';
      if (v instanceof GoFloat) return 'float';
      if (Array.isArray(v)) return 'slice';
      if (v instanceof Map || isPlainObject(v)) return 'map';
      return 'struct';
    default:
      return 'invalid';
  }
}

/** The numeric value of an int or float (bigints lose precision beyond 2^53). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoFloat) return v.value;
  return NaN;
}

/** An int as a bigint (exact for both representations). */
export function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new TypeError('not an integer');
}

/** Normalises an integer result: a safe number when it fits, a bigint otherwise. */
export function intValue(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** Go's type name for error messages; `iface` says the value sits in an interface{} slot. */
export function typeName(v: unknown, iface = false): string {
  if (iface) return 'interface {}';
  switch (kindOf(v)) {
    case 'invalid':
      return '<nil>';
    case 'nil':
      return 'interface {}';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return mapTypeName(v as Record<string, unknown> | Map<unknown, unknown>);
    case 'func':
      return 'func(...interface {}) (interface {}, error)';
    case 'struct': {
      const t = (v as Decorated)[GO_TYPE];
      if (t !== undefined) return t;
      const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
      return ctor ? `*${ctor}` : 'struct {}';
    }
  }
}

function mapTypeName(m: Record<string, unknown> | Map<unknown, unknown>): string {
  if (!(m instanceof Map)) return 'map[string]interface {}';
  const first = m.keys().next();
  const key = first.done === true ? 'string' : typeName(first.value);
  return `map[${key}]interface {}`;
}

/** Map entries with Go's key order (fmtsort): numbers numerically, strings bytewise, false < true. */
export function sortedEntries(m: Record<string, unknown> | Map<unknown, unknown>): [unknown, unknown][] {
  const entries: [unknown, unknown][] = m instanceof Map ? [...m.entries()] : Object.entries(m);
  return entries.sort((a, b) => compareKeys(a[0], b[0]));
}

function compareKeys(a: unknown, b: unknown): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if ((ka === 'int' || ka === 'float') && (kb === 'int' || kb === 'float')) {
    const x = toNumber(a);
    const y = toNumber(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareGoStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return compareGoStrings(String(a), String(b));
}

/** Bytewise (UTF-8) comparison, as Go compares strings. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after U+E000..U+FFFF in UTF-8.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** Go's truthiness: `if`, `with`, `and`, `or`, `not`. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return toNumber(v) !== 0;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return v instanceof Map ? v.size > 0 : Object.keys(v as object).length > 0;
    case 'struct':
    case 'func':
      return true;
  }
}

/** Length in Go's terms: UTF-8 bytes for strings. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Reads a struct field or plain map entry; undefined when absent. */
export function ownField(obj: object, name: string): { found: boolean; value: unknown } {
  if (obj instanceof Map) return obj.has(name) ? { found: true, value: obj.get(name) } : { found: false, value: undefined };
  if (Object.prototype.hasOwnProperty.call(obj, name)) return { found: true, value: (obj as Record<string, unknown>)[name] };
  return { found: false, value: undefined };
}
