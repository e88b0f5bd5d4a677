// The filter library's entry points: compile a `?filter=` expression once, run it on many
// objects. Nomad's list endpoints skip filtering when the parameter is empty; applyFilter does
// the same, while compileFilter (like go-bexpr) refuses an empty expression.
import type { Expr } from './ast.js';
import { evaluate } from './evaluate.js';
import { parseFilter } from './parser.js';

export interface Filter {
  /** The expression as given. */
  readonly expression: string;
  /** Whether `obj` (a JSON value in Nomad's shape) passes; throws FilterError if it cannot be evaluated. */
  matches(obj: unknown): boolean;
}

/** Parses `expression`; throws FilterError (kind "parse", status 400) with the position of the problem. */
export function compileFilter(expression: string): Filter {
  const ast: Expr = parseFilter(expression);
  return {
    expression,
    matches: (obj: unknown): boolean => evaluate(ast, obj, expression),
  };
}

/** The items that pass `expression`, in order; all of them when `expression` is "" (no filter). */
export function applyFilter<T>(items: readonly T[], expression: string): T[] {
  if (expression === '') return [...items];
  const filter = compileFilter(expression);
  return items.filter((item) => filter.matches(item));
}
