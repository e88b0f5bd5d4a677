// How functions are described to the engine. A template function is either a plain JavaScript
// function (Go's `func(...interface{}) (interface{}, error)`: any arguments, no checks) or a
// FuncSpec with Go-style parameter types, so the engine checks arity and argument types with Go's
// messages (`wrong number of args for join: want 2 got 1`, `wrong type for value; expected string;
// got int`). A function fails by throwing; the engine reports `error calling NAME: message`.
import { FunctionError } from './errors.js';

/**
 * Parameter types, named after the Go type they stand for:
 *   any         interface{}           (a missing value arrives as null)
 *   value       reflect.Value         (raw: a missing value arrives as undefined; built-ins only)
 *   string, int (number|bigint), float (number), bool
 *   stringList  []string              list   []interface{}     map   map[string]interface{}
 */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'float' | 'bool' | 'stringList' | 'list' | 'map';

type ParamValue<P extends ParamType> = P extends 'string'
  ? string
  : P extends 'int'
    ? number | bigint
    : P extends 'float'
      ? number
      : P extends 'bool'
        ? boolean
        : P extends 'stringList'
          ? string[] | null
          : P extends 'list'
            ? unknown[] | null
            : P extends 'map'
              ? Record<string, unknown> | Map<unknown, unknown> | null
              : unknown;

type ParamValues<P extends readonly ParamType[]> = { [K in keyof P]: P[K] extends ParamType ? ParamValue<P[K]> : never };

export interface FuncSpec {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
  readonly fn: (...args: unknown[]) => unknown;
}

export type TemplateFunction = FuncSpec | ((...args: unknown[]) => unknown);
export type FuncMap = Readonly<Record<string, TemplateFunction>>;

/** A function with fixed, typed parameters. */
export function defineFunc<const P extends readonly ParamType[]>(params: P, fn: (...args: ParamValues<P>) => unknown): FuncSpec {
  return { params, fn: fn as (...args: unknown[]) => unknown };
}

/** A function with fixed parameters followed by `...variadic`. */
export function defineVariadic<const P extends readonly ParamType[], V extends ParamType>(
  params: P,
  variadic: V,
  fn: (...args: [...ParamValues<P>, ...ParamValue<V>[]]) => unknown,
): FuncSpec {
  return { params, variadic, fn: fn as (...args: unknown[]) => unknown };
}

export function isFuncSpec(f: TemplateFunction): f is FuncSpec {
  return typeof f !== 'function';
}

/** Normalises a function map entry to a spec (plain functions take `...interface{}`). */
export function toSpec(f: TemplateFunction): FuncSpec {
  return isFuncSpec(f) ? f : { params: [], variadic: 'any', fn: f };
}

/** Go's name for a parameter type, in messages. */
export function goTypeOf(p: ParamType): string {
  switch (p) {
    case 'any':
      return 'interface {}';
    case 'value':
      return 'reflect.Value';
    case 'string':
      return 'string';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'bool':
      return 'bool';
    case 'stringList':
      return '[]string';
    case 'list':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
  }
}

/** Throws the error a template function reports (`error calling NAME: msg`). */
export function fail(message: string): never {
  throw new FunctionError(message);
}
