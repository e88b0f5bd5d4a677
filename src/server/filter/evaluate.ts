// Evaluates a parsed filter against one JSON object with go-bexpr's semantics: the value is
// coerced to the selected field's type (string, number, bool), `in`/`contains` look in lists,
// map keys and strings, and a selector that finds nothing gives each operator a fixed answer
// (== false, != true, in false, not in true, is empty true, matches false, is nil true). A value
// that cannot be compared (a number field against "abc", `==` on a map) is an error, as in
// go-bexpr; it is raised as FilterError. It must never mutate the object.
import { assertNever, isRecord } from '../../structs/assert.js';
import type { CollectionExpr, Expr, MatchExpr, MatchOperator } from './ast.js';
import { parseGoBool } from '../../structs/strconv.js';
import { coerceNumber } from './coerce.js';
import { FilterError } from './errors.js';
import { SelectError, lookup } from './selector.js';
import type { Scope } from './selector.js';

/** Thrown with a user-facing reason; `evaluate` positions it at the failing expression. */
class EvalError extends Error {}

export function evaluate(expr: Expr, datum: unknown, source: string): boolean {
  return run(expr, datum, undefined, source);
}

function run(expr: Expr, datum: unknown, scope: Scope | undefined, source: string): boolean {
  switch (expr.kind) {
    case 'and':
      return run(expr.left, datum, scope, source) && run(expr.right, datum, scope, source);
    case 'or':
      return run(expr.left, datum, scope, source) || run(expr.right, datum, scope, source);
    case 'not':
      return !run(expr.operand, datum, scope, source);
    case 'match':
      return positioned(expr.offset, source, () => runMatch(expr, datum, scope));
    case 'any':
    case 'all':
      return runCollection(expr, datum, scope, source);
    default:
      return assertNever(expr, 'filter expression');
  }
}

function positioned<T>(offset: number, source: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof EvalError || err instanceof SelectError) throw new FilterError('evaluate', err.message, source, offset);
    throw err;
  }
}

/** go-bexpr's answer for each operator when the selector finds nothing. */
function whenAbsent(op: MatchOperator): boolean {
  switch (op) {
    case '==':
    case 'in':
    case 'is not empty':
    case 'matches':
    case 'is not nil':
      return false;
    case '!=':
    case 'not in':
    case 'is empty':
    case 'not matches':
    case 'is nil':
      return true;
    default:
      return assertNever(op, 'match operator');
  }
}

function runMatch(expr: MatchExpr, datum: unknown, scope: Scope | undefined): boolean {
  const found = lookup(expr.selector, datum, scope);
  if (!found.present) return whenAbsent(expr.operator);
  const v = found.value;
  const raw = expr.value?.raw ?? '';
  switch (expr.operator) {
    case '==':
      return equal(expr, v, raw);
    case '!=':
      return !equal(expr, v, raw);
    case 'in':
      return contains(expr, v, raw);
    case 'not in':
      return !contains(expr, v, raw);
    case 'is empty':
      return isEmpty(expr, v);
    case 'is not empty':
      return !isEmpty(expr, v);
    case 'is nil':
      return isNil(expr, v);
    case 'is not nil':
      return !isNil(expr, v);
    case 'matches':
      return matches(expr, v);
    case 'not matches':
      return !matches(expr, v);
    default:
      return assertNever(expr.operator, 'match operator');
  }
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (isRecord(v)) return 'a map';
  return `a ${typeof v}`;
}

/** Compares a primitive field with the raw value coerced to its type; undefined when the raw value is not of that type. */
function primitiveEqual(v: unknown, raw: string): boolean | undefined {
  if (typeof v === 'string') return v === raw;
  if (typeof v === 'number') {
    const n = coerceNumber(raw, v);
    return n === undefined ? undefined : n === v;
  }
  if (typeof v === 'boolean') {
    const b = parseGoBool(raw);
    return b === undefined ? undefined : b === v;
  }
  return undefined;
}

function equal(expr: MatchExpr, v: unknown, raw: string): boolean {
  const result = primitiveEqual(v, raw);
  if (result !== undefined) return result;
  if (typeof v === 'number') throw new EvalError(`${expr.selector.text} is a number and ${JSON.stringify(raw)} is not`);
  if (typeof v === 'boolean') throw new EvalError(`${expr.selector.text} is a boolean and ${JSON.stringify(raw)} is not (use true or false)`);
  throw new EvalError(`${expr.selector.text} is ${kindOf(v)}, which ${expr.written} cannot compare; select a field inside it, or use "in", "contains" or "is empty"`);
}

function contains(expr: MatchExpr, v: unknown, raw: string): boolean {
  if (typeof v === 'string') return v.includes(raw);
  if (isRecord(v)) return Object.hasOwn(v, raw);
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item === null || item === undefined) continue;
      if (typeof item === 'object') {
        throw new EvalError(`${expr.selector.text} is a list of ${kindOf(item).slice(2)}s, which ${expr.written} cannot search; use "any ${expr.selector.text} as x { ... }"`);
      }
      // As go-bexpr does for lists of mixed types, an element the value cannot be coerced to is skipped.
      if (primitiveEqual(item, raw) === true) return true;
    }
    return false;
  }
  throw new EvalError(`${expr.selector.text} is ${kindOf(v)}; ${expr.written} needs a list, a map or a string`);
}

function isEmpty(expr: MatchExpr, v: unknown): boolean {
  if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
  if (isRecord(v)) return Object.keys(v).length === 0;
  throw new EvalError(`${expr.selector.text} is ${kindOf(v)}; "${expr.written}" needs a list, a map or a string`);
}

function isNil(expr: MatchExpr, v: unknown): boolean {
  if (typeof v === 'object') return false;
  throw new EvalError(`${expr.selector.text} is ${kindOf(v)}, which is never nil`);
}

function matches(expr: MatchExpr, v: unknown): boolean {
  if (typeof v !== 'string') throw new EvalError(`${expr.selector.text} is ${kindOf(v)}; ${expr.written} needs a string`);
  return expr.regex?.test(v) ?? false;
}

function runCollection(expr: CollectionExpr, datum: unknown, scope: Scope | undefined, source: string): boolean {
  const found = positioned(expr.offset, source, () => lookup(expr.selector, datum, scope));
  const wantAll = expr.kind === 'all';
  if (!found.present) return wantAll;
  const v = found.value;
  let entries: [number | string, unknown][];
  if (Array.isArray(v)) entries = v.map((item, i) => [i, item]);
  else if (isRecord(v)) entries = Object.entries(v);
  else throw new FilterError('evaluate', `${expr.selector.text} is ${kindOf(v)}; ${expr.kind} needs a list or a map`, source, expr.offset);
  const isList = Array.isArray(v);
  for (const [key, item] of entries) {
    const result = run(expr.inner, datum, bind(expr, isList, key, item, scope), source);
    if (result !== wantAll) return result;
  }
  return wantAll;
}

/** Binds the names of `as ...` for one element: a list's element or a map's key by default. */
function bind(expr: CollectionExpr, isList: boolean, key: number | string, item: unknown, parent: Scope | undefined): Scope {
  const b = expr.binding;
  const asKey = (name: string, p: Scope | undefined): Scope => ({ name, value: key, selectable: false, parent: p });
  const asItem = (name: string, p: Scope | undefined): Scope => ({ name, value: item, selectable: true, parent: p });
  switch (b.mode) {
    case 'default':
      return isList ? asItem(b.name, parent) : asKey(b.name, parent);
    case 'index':
      return asKey(b.index, parent);
    case 'value':
      return asItem(b.value, parent);
    case 'index-value':
      return asItem(b.value, asKey(b.index, parent));
    default:
      return assertNever(b, 'binding');
  }
}
