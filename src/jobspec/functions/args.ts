// Argument checking for the function library. cty converts each argument to its parameter's type
// before a function runs (a number passed where a string is expected becomes "5") and refuses null
// unless the parameter allows it; these helpers do the same and word every refusal as
// `Invalid value for "<param>" parameter: …` with the argument's index, so the evaluator can point
// at the offending argument.
import type { Value, ValueObject } from '../hcl/value.js';
import { isObject } from '../hcl/value.js';
import { convertValue, parseNumber } from './conversion.js';
import { FunctionError } from './types.js';
import { describeKind } from './value-ops.js';

/** An error about one argument, in the wording used throughout the library. */
export function argError(index: number, param: string, detail: string): FunctionError {
  return new FunctionError(`Invalid value for "${param}" parameter: ${detail}`, index);
}

/** The argument at `index`, refusing null as cty does for parameters that do not allow it. */
export function required(args: readonly Value[], index: number, param: string): Exclude<Value, null> {
  const v = args[index] ?? null;
  if (v === null) throw argError(index, param, 'argument must not be null');
  return v;
}

export function stringArg(args: readonly Value[], index: number, param: string): string {
  const v = required(args, index, param);
  if (typeof v === 'string') return v;
  if (typeof v === 'object') throw argError(index, param, `a string is required, but got ${describeKind(v)}`);
  return convertValue(v, { kind: 'string' }) as string;
}

export function numberArg(args: readonly Value[], index: number, param: string): number {
  const v = required(args, index, param);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = parseNumber(v);
    if (n !== undefined) return n;
    throw argError(index, param, `a number is required, but got the string ${JSON.stringify(v)}`);
  }
  throw argError(index, param, `a number is required, but got ${describeKind(v)}`);
}

/** A whole number, as gocty.FromCtyValue into a Go int demands. */
export function intArg(args: readonly Value[], index: number, param: string): number {
  const n = numberArg(args, index, param);
  if (!Number.isInteger(n)) throw argError(index, param, `a whole number is required, but got ${n}`);
  return n;
}

export function boolArg(args: readonly Value[], index: number, param: string): boolean {
  const v = required(args, index, param);
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw argError(index, param, `a bool is required, but got ${typeof v === 'string' ? `the string ${JSON.stringify(v)}` : describeKind(v)}`);
}

/** A list, set or tuple (all arrays here). */
export function listArg(args: readonly Value[], index: number, param: string): Value[] {
  const v = required(args, index, param);
  if (Array.isArray(v)) return v;
  throw argError(index, param, `a list, set or tuple is required, but got ${describeKind(v)}`);
}

/** A list whose elements are all converted to strings (cty's list(string) parameters). */
export function stringListArg(args: readonly Value[], index: number, param: string): string[] {
  return listArg(args, index, param).map((item, i) => {
    if (typeof item === 'string') return item;
    if (item === null || typeof item === 'object') {
      throw argError(index, param, `a list of string is required; element ${i} is ${describeKind(item)}`);
    }
    return convertValue(item, { kind: 'string' }) as string;
  });
}

/** A map or object. */
export function objectArg(args: readonly Value[], index: number, param: string): ValueObject {
  const v = required(args, index, param);
  if (isObject(v)) return v;
  throw argError(index, param, `a map or object is required, but got ${describeKind(v)}`);
}
