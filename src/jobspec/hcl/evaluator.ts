// The HCL expression evaluator: evaluate(expr, ctx) → { value, diagnostics } with cty's
// semantics over Roam's plain Values. Evaluation is pure; a failure in one expression stops that
// expression with a positioned diagnostic. With preserveUnknown (Nomad jobspecs) a reference to
// an undefined root variable evaluates to the literal "${<source>}", so runtime interpolations
// such as ${NOMAD_META_x} or ${attr.kernel.name} survive into the job for the client to resolve.
import type { Expression, ForExpression, TemplatePart } from './ast.js';
import { errorDiag, suggestionSuffix, type Diagnostic } from './diagnostics.js';
import { evalCall, type CallHost } from './eval-call.js';
import { sortedKeys, toBool, toNumber, toStringValue, unifyKinds, valuesEqual } from './convert.js';
import type { FunctionContext, HclFunction } from '../functions/types.js';
import type { Range } from './pos.js';
import { applySteps, EvalFailure, fail, indexValue } from './value-access.js';
import { isObject, typeName, type Value, type ValueObject } from './value.js';

export interface EvalContext {
  variables: Record<string, Value>;
  functions: Record<string, HclFunction>;
  functionContext: FunctionContext;
  /** Nomad's rule: references to undefined root variables evaluate to "${<source text>}". */
  preserveUnknown?: boolean;
}

export interface EvalResult {
  value: Value;
  diagnostics: Diagnostic[];
}

/** Variables in scope: the context's, then for-expression and iterator variables layered on top. */
interface Scope {
  vars: Readonly<Record<string, Value>>;
  parent: Scope | undefined;
}

function lookup(scope: Scope | undefined, name: string): { found: true; value: Value } | { found: false } {
  for (let s = scope; s; s = s.parent) if (Object.hasOwn(s.vars, name)) return { found: true, value: s.vars[name] ?? null };
  return { found: false };
}

function scopeNames(scope: Scope | undefined): string[] {
  const out: string[] = [];
  for (let s = scope; s; s = s.parent) out.push(...Object.keys(s.vars));
  return out;
}

/** Iterates a for-expression or template-for collection as (key, value) pairs. */
function iterate(coll: Value, range: Range, what: string): [Value, Value][] {
  if (coll === null) fail('Iteration over null value', `A null value cannot be used as the collection in a ${what}.`, range);
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  if (isObject(coll)) return sortedKeys(coll).map((k) => [k, coll[k] ?? null]);
  return fail('Iteration over non-iterable value', `A value of type ${typeName(coll)} cannot be used as the collection in a ${what}.`, range);
}

class Evaluator implements CallHost {
  private readonly ctx: EvalContext;
  private readonly splatItems: Value[] = [];
  readonly functions: Record<string, HclFunction>;
  readonly functionContext: FunctionContext;
  private scope: Scope;

  constructor(ctx: EvalContext) {
    this.ctx = ctx;
    this.functions = ctx.functions;
    this.functionContext = ctx.functionContext;
    this.scope = { vars: ctx.variables, parent: undefined };
  }

  attempt(expr: Expression): { ok: true; value: Value } | { ok: false; diags: Diagnostic[] } {
    const saved = this.scope;
    const splatDepth = this.splatItems.length;
    try {
      return { ok: true, value: this.value(expr) };
    } catch (e) {
      if (!(e instanceof EvalFailure)) throw e;
      this.scope = saved;
      this.splatItems.length = splatDepth;
      return { ok: false, diags: e.diags };
    }
  }

  private withVars<T>(vars: Record<string, Value>, run: () => T): T {
    const saved = this.scope;
    this.scope = { vars, parent: saved };
    try {
      return run();
    } finally {
      this.scope = saved;
    }
  }

  value(expr: Expression): Value {
    switch (expr.kind) {
      case 'literal':
        return expr.value;
      case 'template':
        return this.template(expr.parts);
      case 'traversal': {
        const root = lookup(this.scope, expr.root);
        if (!root.found) {
          if (this.ctx.preserveUnknown) return `\${${expr.text}}`;
          fail('Unknown variable', `There is no variable named "${expr.root}".${suggestionSuffix(expr.root, scopeNames(this.scope))}`, expr.rootRange, expr.range);
        }
        return applySteps(root.value, expr.steps);
      }
      case 'relative':
        return applySteps(this.value(expr.source), expr.steps);
      case 'index':
        return indexValue(this.value(expr.collection), this.value(expr.key), expr.bracketRange);
      case 'splat':
        return this.splat(expr.source, expr.each);
      case 'splatItem': {
        if (this.splatItems.length === 0) fail('Invalid splat expression', 'A splat item reference appeared outside of a splat.', expr.range);
        return this.splatItems[this.splatItems.length - 1] ?? null;
      }
      case 'call':
        return evalCall(expr, this);
      case 'tuple':
        return expr.items.map((i) => this.value(i));
      case 'object': {
        const out: ValueObject = {};
        for (const item of expr.items) {
          const k = this.value(item.key);
          const key = toStringValue(k);
          if (key === undefined) fail('Incorrect key type', `Can't use this value as a key: ${k === null ? 'the key must not be null' : 'a string is required'}.`, item.key.range);
          out[key] = this.value(item.value);
        }
        return out;
      }
      case 'binary':
        return this.binary(expr);
      case 'unary': {
        const v = this.value(expr.operand);
        if (expr.op === '!') {
          const b = toBool(v);
          if (b === undefined) fail('Invalid operand', 'Unsuitable value for unary operand: a bool is required.', expr.operand.range, expr.range);
          return !b;
        }
        const n = toNumber(v);
        if (n === undefined) fail('Invalid operand', 'Unsuitable value for unary operand: a number is required.', expr.operand.range, expr.range);
        return -n;
      }
      case 'conditional':
        return this.conditional(expr);
      case 'for':
        return this.forExpr(expr);
      case 'paren':
        return this.value(expr.inner);
      case 'bound':
        return this.withVars(expr.variables, () => this.value(expr.inner));
    }
  }

  private binary(expr: Extract<Expression, { kind: 'binary' }>): Value {
    const { op } = expr;
    if (op === '&&' || op === '||') {
      const l = toBool(this.value(expr.left));
      if (l === undefined) fail('Invalid operand', 'Unsuitable value for left operand: a bool is required.', expr.left.range, expr.range);
      if (op === '&&' ? !l : l) return l;
      const r = toBool(this.value(expr.right));
      if (r === undefined) fail('Invalid operand', 'Unsuitable value for right operand: a bool is required.', expr.right.range, expr.range);
      return r;
    }
    const lv = this.value(expr.left);
    const rv = this.value(expr.right);
    if (op === '==') return valuesEqual(lv, rv);
    if (op === '!=') return !valuesEqual(lv, rv);
    const l = toNumber(lv);
    if (l === undefined) fail('Invalid operand', 'Unsuitable value for left operand: a number is required.', expr.left.range, expr.range);
    const r = toNumber(rv);
    if (r === undefined) fail('Invalid operand', 'Unsuitable value for right operand: a number is required.', expr.right.range, expr.range);
    switch (op) {
      case '+':
        return l + r;
      case '-':
        return l - r;
      case '*':
        return l * r;
      case '/':
      case '%':
        if (r === 0) fail('Operation failed', "Error during operation: can't divide by zero.", expr.range);
        return op === '/' ? l / r : l % r;
      case '<':
        return l < r;
      case '<=':
        return l <= r;
      case '>':
        return l > r;
      case '>=':
        return l >= r;
    }
  }

  private conditional(expr: Extract<Expression, { kind: 'conditional' }>): Value {
    const c = this.value(expr.cond);
    if (c === null) fail('Null condition', 'The condition value is null. Conditions must either be true or false.', expr.cond.range, expr.range);
    const b = toBool(c);
    if (b === undefined) fail('Incorrect condition type', `The condition expression must be of type bool, but it is ${typeName(c)}.`, expr.cond.range, expr.range);
    const chosen = this.value(b ? expr.then : expr.else);
    // The other branch only matters for type unification; its own errors are not reported (as in HCL).
    const other = this.attempt(b ? expr.else : expr.then);
    if (!other.ok) return chosen;
    const kind = unifyKinds(chosen, other.value);
    if (kind === undefined) {
      const [t, f] = b ? [chosen, other.value] : [other.value, chosen];
      fail('Inconsistent conditional result types', `The true and false result expressions must have consistent types. The 'true' value is ${typeName(t)}, but the 'false' value is ${typeName(f)}.`, rangeOf(expr), expr.range);
    }
    if (kind === 'string' && chosen !== null) return toStringValue(chosen) ?? chosen;
    return chosen;
  }

  private template(parts: TemplatePart[]): Value {
    const only = parts[0];
    if (parts.length === 1 && only?.kind === 'interp') return this.value(only.expr);
    return this.renderParts(parts);
  }

  private renderParts(parts: TemplatePart[]): string {
    let out = '';
    for (const p of parts) {
      switch (p.kind) {
        case 'lit':
          out += p.value;
          break;
        case 'interp': {
          const v = this.value(p.expr);
          if (v === null) fail('Invalid template interpolation value', 'The expression result is null. Cannot include a null value in a string template.', p.expr.range, p.range);
          const s = toStringValue(v);
          if (s === undefined) fail('Invalid template interpolation value', `Cannot include the given value in a string template: string required, but have ${typeName(v)}.`, p.expr.range, p.range);
          out += s;
          break;
        }
        case 'if': {
          const c = this.value(p.cond);
          const b = c === null ? undefined : toBool(c);
          if (b === undefined) fail('Invalid template if condition', `The condition of an "if" directive must be a bool, but it is ${typeName(c)}.`, p.cond.range, p.range);
          out += this.renderParts(b ? p.then : p.else);
          break;
        }
        case 'for': {
          const { keyVar, valVar, body } = p;
          for (const [k, v] of iterate(this.value(p.collection), p.collection.range, 'template "for" directive')) {
            const vars: Record<string, Value> = { [valVar]: v };
            if (keyVar !== undefined) vars[keyVar] = k;
            out += this.withVars(vars, () => this.renderParts(body));
          }
          break;
        }
      }
    }
    return out;
  }

  private forExpr(expr: ForExpression): Value {
    const pairs = iterate(this.value(expr.collection), expr.collection.range, "'for' expression");
    const tuple: Value[] = [];
    const object: ValueObject = {};
    const grouped: Record<string, Value[]> = {};
    for (const [k, v] of pairs) {
      const vars: Record<string, Value> = { [expr.valVar]: v };
      if (expr.keyVar !== undefined) vars[expr.keyVar] = k;
      this.withVars(vars, () => {
        if (expr.cond !== undefined) {
          const c = this.value(expr.cond);
          if (c === null) fail('Condition is null', "The value of the 'if' clause must not be null.", expr.cond.range, expr.range);
          const b = toBool(c);
          if (b === undefined) fail("Invalid 'for' condition", `The 'if' clause value is invalid: bool required, but have ${typeName(c)}.`, expr.cond.range, expr.range);
          if (!b) return;
        }
        if (expr.keyExpr === undefined) {
          tuple.push(this.value(expr.valExpr));
          return;
        }
        const kv = this.value(expr.keyExpr);
        if (kv === null) fail('Invalid object key', "Key expression in 'for' expression must not produce a null value.", expr.keyExpr.range, expr.range);
        const key = toStringValue(kv);
        if (key === undefined) fail('Invalid object key', `The key expression produced an invalid result: string required, but have ${typeName(kv)}.`, expr.keyExpr.range, expr.range);
        const val = this.value(expr.valExpr);
        if (expr.group) {
          (grouped[key] ??= []).push(val);
          return;
        }
        if (Object.hasOwn(object, key)) {
          fail(
            'Duplicate object key',
            `Two different items produced the key "${key}" in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.`,
            expr.keyExpr.range,
            expr.range,
          );
        }
        object[key] = val;
      });
    }
    if (expr.keyExpr === undefined) return tuple;
    return expr.group ? grouped : object;
  }

  private splat(source: Expression, each: Expression): Value {
    const v = this.value(source);
    if (v === null) return [];
    const items = Array.isArray(v) ? v : [v];
    return items.map((item) => {
      this.splatItems.push(item);
      try {
        return this.value(each);
      } finally {
        this.splatItems.pop();
      }
    });
  }
}

function rangeOf(expr: Extract<Expression, { kind: 'conditional' }>): Range {
  return { filename: expr.then.range.filename, start: expr.then.range.start, end: expr.else.range.end };
}

export function evaluate(expr: Expression, ctx: EvalContext): EvalResult {
  const ev = new Evaluator(ctx);
  try {
    return { value: ev.value(expr), diagnostics: [] };
  } catch (e) {
    if (e instanceof EvalFailure) return { value: null, diagnostics: e.diags };
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      return { value: null, diagnostics: [errorDiag('Expression too complex', 'The expression nests too deeply to evaluate.', expr.range)] };
    }
    throw e;
  }
}
