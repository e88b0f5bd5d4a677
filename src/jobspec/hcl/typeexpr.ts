// Reads type-constraint expressions (`variable { type = list(string) }`) into HclType:
// string, number, bool, any, list/set/map(T), tuple([…]), object({ a = T, b = optional(T, d) }).
// In JSON the expression is a string holding the native syntax. Errors are positioned.
import type { Expression } from './ast.js';
import { errorDiag, suggestionSuffix, type Diagnostic } from './diagnostics.js';
import type { HclObjectAttr, HclType } from '../functions/types.js';
import { parseExpression } from './parser.js';
import type { Value } from './value.js';

const PRIMITIVES = ['string', 'number', 'bool', 'any'] as const;
const KEYWORDS = [...PRIMITIVES, 'list', 'set', 'map', 'tuple', 'object'];

class TypeFailure extends Error {
  readonly diag: Diagnostic;
  constructor(diag: Diagnostic) {
    super(diag.summary);
    this.diag = diag;
  }
}

function bad(detail: string, expr: Expression): never {
  throw new TypeFailure(errorDiag('Invalid type specification', detail, expr.range));
}

/** Reads optional() defaults: literals and constructors of literals only (defaults are constants). */
function constant(expr: Expression): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template':
      if (expr.parts.every((p) => p.kind === 'lit')) return expr.parts.map((p) => (p.kind === 'lit' ? p.value : '')).join('');
      break;
    case 'tuple':
      return expr.items.map(constant);
    case 'object': {
      const out: Record<string, Value> = {};
      for (const item of expr.items) {
        const k = constant(item.key);
        if (typeof k !== 'string') bad('Object keys in a default value must be strings.', item.key);
        out[k] = constant(item.value);
      }
      return out;
    }
    case 'unary':
      if (expr.op === '-' && expr.operand.kind === 'literal' && typeof expr.operand.value === 'number') return -expr.operand.value;
      break;
    case 'paren':
      return constant(expr.inner);
    default:
      break;
  }
  return bad('A default value in optional() must be a constant.', expr);
}

function read(expr: Expression, inObjectAttr: boolean): HclType | HclObjectAttr {
  if (expr.kind === 'paren') return read(expr.inner, inObjectAttr);
  if (expr.kind === 'traversal' && expr.steps.length === 0) {
    const name = expr.root;
    if ((PRIMITIVES as readonly string[]).includes(name)) return { kind: name as (typeof PRIMITIVES)[number] };
    if (['list', 'set', 'map', 'tuple', 'object'].includes(name)) bad(`The ${name} type constructor requires one argument specifying the element type${name === 'object' ? 's' : ''}.`, expr);
    bad(`The keyword "${name}" is not a valid type specification.${suggestionSuffix(name, KEYWORDS)}`, expr);
  }
  if (expr.kind !== 'call') bad('A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).', expr);
  const { name, args } = expr;
  const only = (): Expression => {
    const a = args[0];
    if (a === undefined || args.length !== 1) bad(`The ${name} type constructor requires exactly one argument.`, expr);
    return a;
  };
  switch (name) {
    case 'list':
    case 'set':
    case 'map':
      return { kind: name, elem: typeOf(only()) };
    case 'tuple': {
      const a = only();
      if (a.kind !== 'tuple') bad('The tuple type constructor requires a list of element types, like tuple([string, number]).', a);
      return { kind: 'tuple', elems: a.items.map(typeOf) };
    }
    case 'object': {
      const a = only();
      if (a.kind !== 'object') bad('The object type constructor requires an object of attribute types, like object({ name = string }).', a);
      const attrs: Record<string, HclObjectAttr> = {};
      for (const item of a.items) {
        const key = item.key.kind === 'literal' ? item.key.value : constant(item.key);
        if (typeof key !== 'string') bad('Object type attribute names must be strings.', item.key);
        const t = read(item.value, true);
        attrs[key] = 'optional' in t ? t : { type: t, optional: false };
      }
      return { kind: 'object', attrs };
    }
    case 'optional': {
      if (!inObjectAttr) bad('Keyword "optional" is valid only as a modifier for object type attributes.', expr);
      const [t, d] = args;
      if (t === undefined || args.length > 2) bad('The optional modifier requires the attribute type and, optionally, a default value.', expr);
      const attr: HclObjectAttr = { type: typeOf(t), optional: true };
      if (d !== undefined) attr.default = constant(d);
      return attr;
    }
    default:
      return bad(`Keyword "${name}" is not a valid type constructor.${suggestionSuffix(name, KEYWORDS)}`, expr);
  }
}

function typeOf(expr: Expression): HclType {
  const t = read(expr, false);
  if ('optional' in t) return bad('Keyword "optional" is valid only as a modifier for object type attributes.', expr);
  return t;
}

/** Reads a type constraint; on error, the type is `any` and the diagnostics say why. */
export function typeExpression(expr: Expression): { type: HclType; diagnostics: Diagnostic[] } {
  let native = expr;
  if (expr.kind === 'template' && expr.jsonString !== undefined) {
    const { value, contentRange } = expr.jsonString;
    const parsed = parseExpression(value, contentRange.filename, contentRange.start);
    if (parsed.expr === undefined) return { type: { kind: 'any' }, diagnostics: parsed.diagnostics };
    native = parsed.expr;
  }
  try {
    return { type: typeOf(native), diagnostics: [] };
  } catch (e) {
    if (e instanceof TypeFailure) return { type: { kind: 'any' }, diagnostics: [e.diag] };
    throw e;
  }
}
