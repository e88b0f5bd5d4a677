// The contract between the HCL evaluator and the function library. A function gets evaluated
// argument values and returns a value or throws FunctionError; the evaluator turns a FunctionError
// into a positioned diagnostic ("Invalid function argument" at the argument's range when argIndex
// is set, else "Error in function call" at the call).
//
// `try` and `can` are not library functions: they need unevaluated expressions, so the evaluator
// implements them itself.
import type { Value } from '../hcl/value.js';

export interface FunctionContext {
  /** Directory that relative paths in file functions resolve against (the job file's directory). */
  baseDir: string;
  /** File functions (file, fileexists, fileset, filebase64, templatefile…) are refused when false, as Nomad refuses them for the API parse endpoint. */
  allowFS: boolean;
  /** The current time, for `timestamp()`; injected so evaluation stays pure and testable. */
  now: () => Date;
}

export interface HclFunction {
  /** Names of the fixed parameters, for messages ("Invalid value for \"str\" parameter"). */
  params: string[];
  /** Name of the variadic parameter, when the function takes any number of trailing arguments. */
  variadic?: string;
  impl(args: Value[], ctx: FunctionContext): Value;
}

export class FunctionError extends Error {
  /** Index of the offending argument, or undefined when the failure is not about one argument. */
  readonly argIndex: number | undefined;
  constructor(message: string, argIndex?: number) {
    super(message);
    this.argIndex = argIndex;
  }
}

/**
 * HCL type constraints, as written in `variable { type = list(string) }` and as used by the
 * conversion functions (tostring, tolist, convert…). `optional` attributes come from
 * `object({ a = optional(string, "x") })`.
 */
export type HclType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'bool' }
  | { kind: 'any' }
  | { kind: 'list' | 'set' | 'map'; elem: HclType }
  | { kind: 'tuple'; elems: HclType[] }
  | { kind: 'object'; attrs: Record<string, HclObjectAttr> };

export interface HclObjectAttr {
  type: HclType;
  optional: boolean;
  /** The default for an optional attribute, when `optional(type, default)` gave one. */
  default?: Value;
}
