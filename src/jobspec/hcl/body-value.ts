// Reads a schema-less body as data: bodyToValue evaluates every item of a body such as a driver's
// `config`, with nested blocks as lists of objects (labels as nested keys), matching what Nomad's
// jobspec parser hands to task drivers.
import type { Body } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { evaluate, type EvalContext } from './evaluator.js';
import type { ValueObject } from './value.js';

export function bodyToValue(body: Body, ctx: EvalContext): { value: ValueObject; diagnostics: Diagnostic[] } {
  const { attributes, diagnostics } = body.blocksAsAttributes();
  const value: ValueObject = {};
  for (const [name, attr] of Object.entries(attributes)) {
    const r = evaluate(attr.expr, ctx);
    diagnostics.push(...r.diagnostics);
    value[name] = r.value;
  }
  return { value, diagnostics };
}
