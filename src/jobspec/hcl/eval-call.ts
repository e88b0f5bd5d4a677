// Function calls for the evaluator: lookup in the context's function table with did-you-mean,
// argument count checks, `...` expansion of the final argument, FunctionError mapping to the
// offending argument, and the two functions the evaluator owns because they need unevaluated
// arguments: try() and can().
import type { Expression } from './ast.js';
import { errorDiag, suggestionSuffix, type Diagnostic } from './diagnostics.js';
import { FunctionError, type FunctionContext, type HclFunction } from '../functions/types.js';
import { formatRange, rangeBetween } from './pos.js';
import { EvalFailure, fail } from './value-access.js';
import type { Value } from './value.js';

type CallExpr = Extract<Expression, { kind: 'call' }>;

/** What the call evaluator needs from the evaluator. */
export interface CallHost {
  value(expr: Expression): Value;
  /** Evaluates, returning the failure's diagnostics instead of throwing. */
  attempt(expr: Expression): { ok: true; value: Value } | { ok: false; diags: Diagnostic[] };
  functions: Record<string, HclFunction>;
  functionContext: FunctionContext;
}

function evalTry(call: CallExpr, host: CallHost): Value {
  if (call.args.length === 0) fail('Not enough function arguments', 'Function "try" expects at least one argument.', call.range);
  const failures: Diagnostic[] = [];
  for (const arg of call.args) {
    const r = host.attempt(arg);
    if (r.ok) return r.value;
    failures.push(...r.diags);
  }
  const lines = failures.map((d) => `- ${d.summary}${d.subject ? ` (at ${formatRange(d.subject)})` : ''}\n  ${d.detail}`).join('\n');
  return fail('Error in function call', `Call to function "try" failed: no expression succeeded:\n${lines}\n\nAt least one expression must produce a successful result.`, call.range);
}

function evalCan(call: CallExpr, host: CallHost): Value {
  const arg = call.args[0];
  if (arg === undefined || call.args.length !== 1) fail(call.args.length === 0 ? 'Not enough function arguments' : 'Too many function arguments', 'Function "can" expects exactly one argument.', call.range);
  return host.attempt(arg).ok;
}

export function evalCall(call: CallExpr, host: CallHost): Value {
  if (call.name === 'try') return evalTry(call, host);
  if (call.name === 'can') return evalCan(call, host);
  const fn = Object.hasOwn(host.functions, call.name) ? host.functions[call.name] : undefined;
  if (fn === undefined) {
    const names = [...Object.keys(host.functions), 'try', 'can'];
    fail('Call to unknown function', `There is no function named "${call.name}".${suggestionSuffix(call.name, names)}`, call.nameRange, call.range);
  }
  // Values with the expression each came from, for positioning argument errors.
  const args: Value[] = [];
  const sources: Expression[] = [];
  call.args.forEach((a, i) => {
    const v = host.value(a);
    const isFinal = i === call.args.length - 1;
    if (call.expandFinal && isFinal) {
      if (v === null) fail('Invalid expanding argument value', 'The expanding argument (indicated by ...) must not be null.', a.range, call.range);
      if (!Array.isArray(v)) fail('Invalid expanding argument value', 'The expanding argument (indicated by ...) must be of a tuple, list, or set type.', a.range, call.range);
      for (const item of v) {
        args.push(item);
        sources.push(a);
      }
    } else {
      args.push(v);
      sources.push(a);
    }
  });
  const n = fn.params.length;
  const s = (k: number): string => (k === 1 ? '' : 's');
  if (args.length < n) {
    const missing = fn.params[args.length] ?? '';
    fail('Not enough function arguments', `Function "${call.name}" expects ${n} argument${s(n)}. Missing value for "${missing}".`, call.range);
  }
  if (args.length > n && fn.variadic === undefined) {
    const extra = sources[n];
    fail('Too many function arguments', `Function "${call.name}" expects only ${n} argument${s(n)}.`, extra?.range ?? call.range, call.range);
  }
  try {
    return fn.impl(args, host.functionContext);
  } catch (e) {
    if (e instanceof EvalFailure) throw e;
    const message = (e instanceof Error ? e.message : String(e)).replace(/\.$/, '');
    if (e instanceof FunctionError && e.argIndex !== undefined) {
      const src = sources[e.argIndex] ?? call.args[call.args.length - 1];
      const param = fn.params[e.argIndex] ?? fn.variadic ?? `#${e.argIndex + 1}`;
      throw new EvalFailure([errorDiag('Invalid function argument', `Invalid value for "${param}" parameter: ${message}.`, src?.range ?? call.range, call.range)]);
    }
    throw new EvalFailure([errorDiag('Error in function call', `Call to function "${call.name}" failed: ${message}.`, rangeBetween(call.nameRange, call.range), call.range)]);
  }
}
