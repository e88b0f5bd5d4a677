// text/template's built-in functions with Go's semantics and messages: comparisons (same basic
// kind or "incompatible types for comparison"), index/slice/len with Go's bounds errors, the
// escapers (html, js, urlquery) and print/printf/println. `and`/`or` are declared here but the
// executor evaluates them itself, because they short-circuit.
import { formatValue, sprint, sprintln } from './fmt/print.js';
import { sprintf } from './fmt/sprintf.js';
import { defineFunc, defineVariadic, fail, type FuncMap } from './funcs.js';
import { isPrint } from './strconv.js';
import { isTrue, kindOf, toBigInt, toNumber, typeName, utf8Length } from './values.js';

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';

function basicKind(v: unknown): BasicKind {
  switch (kindOf(v)) {
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'string':
      return 'string';
    case 'invalid':
    case 'nil':
      return 'invalid';
    default:
      return 'other';
  }
}

function eqPair(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if (k1 !== 'invalid' && k2 !== 'invalid') fail('incompatible types for comparison');
    return false;
  }
  switch (k1) {
    case 'bool':
    case 'string':
      return a === b;
    case 'int':
      return toBigInt(a) === toBigInt(b);
    case 'float':
      return toNumber(a) === toNumber(b);
    case 'invalid':
      return true;
    default: {
      if (typeName(a) !== typeName(b)) fail(`non-comparable types ${sprintf('%s', [a])}: ${typeName(a)}, ${typeName(b)}: ${formatValue(b)}`);
      const k = kindOf(b);
      if (k === 'slice' || k === 'map' || k === 'func') fail(`non-comparable type ${sprintf('%s', [b])}: ${typeName(b)}`);
      return a === b;
    }
  }
}

function lessThan(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  if (k1 === 'invalid' || k1 === 'other') fail('invalid type for comparison');
  const k2 = basicKind(b);
  if (k2 === 'invalid' || k2 === 'other') fail('invalid type for comparison');
  if (k1 !== k2) fail('incompatible types for comparison');
  switch (k1) {
    case 'bool':
      fail('invalid type for comparison');
    case 'int':
      return toBigInt(a) < toBigInt(b);
    case 'float':
      return toNumber(a) < toNumber(b);
    default:
      return compareBytes(a as string, b as string) < 0;
  }
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function indexArg(index: unknown, cap: number): number {
  const k = kindOf(index);
  if (k === 'invalid' || k === 'nil') fail('cannot index slice/array with nil');
  if (k !== 'int') fail(`cannot index slice/array with type ${typeName(index)}`);
  const x = toBigInt(index);
  if (x < 0n || x > BigInt(cap)) fail(`index out of range: ${x}`);
  return Number(x);
}

function indexValue(item: unknown, indexes: unknown[]): unknown {
  if (item === undefined || item === null) fail('index of untyped nil');
  let cur: unknown = item;
  for (const index of indexes) {
    if (cur === null || cur === undefined) fail('index of nil pointer');
    switch (kindOf(cur)) {
      case 'slice': {
        const arr = cur as unknown[];
        const x = indexArg(index, arr.length);
        if (x >= arr.length) fail(`reflect: slice index out of range`);
        cur = arr[x] ?? null;
        break;
      }
      case 'string': {
        const bytes = Buffer.from(cur as string, 'utf8');
        const x = indexArg(index, bytes.length);
        if (x >= bytes.length) fail(`reflect: string index out of range`);
        cur = bytes[x] as number;
        break;
      }
      case 'map': {
        if (cur instanceof Map) {
          cur = cur.has(index) ? cur.get(index) : null;
          break;
        }
        if (index === undefined || index === null) fail('value is nil; should be of type string');
        if (typeof index !== 'string') fail(`value has type ${typeName(index)}; should be string`);
        cur = Object.prototype.hasOwnProperty.call(cur, index) ? (cur as Record<string, unknown>)[index] : null;
        break;
      }
      default:
        fail(`can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
}

function sliceValue(item: unknown, indexes: unknown[]): unknown {
  if (item === undefined || item === null) fail('slice of untyped nil');
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let len: number;
  const k = kindOf(item);
  if (k === 'string') {
    if (indexes.length === 3) fail('cannot 3-index slice a string');
    len = utf8Length(item as string);
  } else if (k === 'slice') len = (item as unknown[]).length;
  else fail(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  const [i, j, m] = idx as [number, number, number];
  if (i > j) fail(`invalid slice index: ${i} > ${j}`);
  if (indexes.length === 3 && j > m) fail(`invalid slice index: ${j} > ${m}`);
  if (k === 'string') return Buffer.from(item as string, 'utf8').subarray(i, j).toString('utf8');
  return (item as unknown[]).slice(i, j);
}

function lengthOf(item: unknown): number {
  if (item === null) fail('len of nil pointer');
  if (item === undefined) fail('reflect: call of reflect.Value.Type on zero Value');
  switch (kindOf(item)) {
    case 'string':
      return utf8Length(item as string);
    case 'slice':
      return (item as unknown[]).length;
    case 'map':
      return item instanceof Map ? item.size : Object.keys(item as object).length;
    default:
      fail(`len of type ${typeName(item)}`);
  }
}

/** The string of the escapers' arguments: the one string argument, or fmt.Sprint of all. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

/** template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case '\0':
        return '\uFFFD';
      case '"':
        return '&#34;';
      case "'":
        return '&#39;';
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      default:
        return '&gt;';
    }
  });
}

/** template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (c < 0x80) {
      out += c >= 0x20 && c < 0x7f ? ch : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (isPrint(c)) out += ch;
    else out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Calls a function value (`call`). */
function callValue(fn: unknown, args: unknown[]): unknown {
  if (fn === undefined || fn === null) fail('call of nil');
  if (typeof fn !== 'function') fail(`non-function of type ${typeName(fn)}`);
  return (fn as (...a: unknown[]) => unknown)(...args.map((a) => (a === undefined ? null : a)));
}

export const BUILTINS: FuncMap = {
  and: defineVariadic(['value'], 'value', () => undefined),
  or: defineVariadic(['value'], 'value', () => undefined),
  not: defineFunc(['value'], (v) => !isTrue(v)),
  call: defineVariadic(['value'], 'value', (fn, ...args) => callValue(fn, args)),
  html: defineVariadic([], 'any', (...args) => htmlEscape(evalArgs(args))),
  js: defineVariadic([], 'any', (...args) => jsEscape(evalArgs(args))),
  urlquery: defineVariadic([], 'any', (...args) => queryEscape(evalArgs(args))),
  index: defineVariadic(['value'], 'value', (item, ...indexes) => indexValue(item, indexes)),
  slice: defineVariadic(['value'], 'value', (item, ...indexes) => sliceValue(item, indexes)),
  len: defineFunc(['value'], (item) => lengthOf(item)),
  print: defineVariadic([], 'any', (...args) => sprint(args)),
  printf: defineVariadic(['string'], 'any', (format, ...args) => sprintf(format, args)),
  println: defineVariadic([], 'any', (...args) => sprintln(args)),
  eq: defineVariadic(['value'], 'value', (a, ...rest) => {
    if (rest.length === 0) fail('missing argument for comparison');
    return rest.some((b) => eqPair(a, b));
  }),
  ne: defineFunc(['value', 'value'], (a, b) => !eqPair(a, b)),
  lt: defineFunc(['value', 'value'], (a, b) => lessThan(a, b)),
  le: defineFunc(['value', 'value'], (a, b) => lessThan(a, b) || eqPair(a, b)),
  gt: defineFunc(['value', 'value'], (a, b) => !(lessThan(a, b) || eqPair(a, b))),
  ge: defineFunc(['value', 'value'], (a, b) => !lessThan(a, b)),
};
