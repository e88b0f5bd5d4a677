// Static analysis of expressions: the root-variable references an expression makes (to order
// `locals` and variables by dependency), excluding names bound inside it by for-expressions,
// template for-directives and dynamic-block iterators; and reading an expression as a keyword.
import type { Expression, TemplatePart } from './ast.js';

export type TraversalExpression = Extract<Expression, { kind: 'traversal' }>;

function walkParts(parts: TemplatePart[], bound: ReadonlySet<string>, out: TraversalExpression[]): void {
  for (const p of parts) {
    switch (p.kind) {
      case 'lit':
        break;
      case 'interp':
        walk(p.expr, bound, out);
        break;
      case 'if':
        walk(p.cond, bound, out);
        walkParts(p.then, bound, out);
        walkParts(p.else, bound, out);
        break;
      case 'for': {
        walk(p.collection, bound, out);
        const inner = new Set(bound).add(p.valVar);
        if (p.keyVar !== undefined) inner.add(p.keyVar);
        walkParts(p.body, inner, out);
        break;
      }
    }
  }
}

function walk(e: Expression, bound: ReadonlySet<string>, out: TraversalExpression[]): void {
  switch (e.kind) {
    case 'literal':
    case 'splatItem':
      return;
    case 'traversal':
      if (!bound.has(e.root)) out.push(e);
      return;
    case 'template':
      walkParts(e.parts, bound, out);
      return;
    case 'relative':
      walk(e.source, bound, out);
      return;
    case 'index':
      walk(e.collection, bound, out);
      walk(e.key, bound, out);
      return;
    case 'splat':
      walk(e.source, bound, out);
      walk(e.each, bound, out);
      return;
    case 'call':
      e.args.forEach((a) => walk(a, bound, out));
      return;
    case 'tuple':
      e.items.forEach((a) => walk(a, bound, out));
      return;
    case 'object':
      for (const item of e.items) {
        walk(item.key, bound, out);
        walk(item.value, bound, out);
      }
      return;
    case 'binary':
      walk(e.left, bound, out);
      walk(e.right, bound, out);
      return;
    case 'unary':
      walk(e.operand, bound, out);
      return;
    case 'conditional':
      walk(e.cond, bound, out);
      walk(e.then, bound, out);
      walk(e.else, bound, out);
      return;
    case 'for': {
      walk(e.collection, bound, out);
      const inner = new Set(bound).add(e.valVar);
      if (e.keyVar !== undefined) inner.add(e.keyVar);
      if (e.keyExpr !== undefined) walk(e.keyExpr, inner, out);
      walk(e.valExpr, inner, out);
      if (e.cond !== undefined) walk(e.cond, inner, out);
      return;
    }
    case 'paren':
      walk(e.inner, bound, out);
      return;
    case 'bound': {
      const inner = new Set(bound);
      for (const k of Object.keys(e.variables)) inner.add(k);
      walk(e.inner, inner, out);
      return;
    }
  }
}

/** The traversals of free variables in expr, in source order (e.g. `local.a`, `var.b.c`). */
export function expressionTraversals(expr: Expression): TraversalExpression[] {
  const out: TraversalExpression[] = [];
  walk(expr, new Set(), out);
  return out;
}

/**
 * The keyword an expression spells: a bare identifier (`iterator = port`) or, in JSON, a string
 * holding one. Undefined for anything else.
 */
export function exprAsKeyword(expr: Expression): string | undefined {
  if (expr.kind === 'traversal' && expr.steps.length === 0) return expr.root;
  if (expr.kind === 'template' && expr.jsonString !== undefined && /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u.test(expr.jsonString.value)) return expr.jsonString.value;
  return undefined;
}
