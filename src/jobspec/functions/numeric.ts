// Number functions, per cty stdlib (sum per Terraform). Numbers are JavaScript doubles here, where
// cty uses arbitrary-precision decimals; results agree wherever a double can hold the value.
import type { Value } from '../hcl/value.js';
import { argError, intArg, listArg, numberArg } from './args.js';
import { convertValue } from './conversion.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { describeKind } from './value-ops.js';

function num1(fn: (n: number) => number): HclFunction {
  return { params: ['num'], impl: (args) => fn(numberArg(args, 0, 'num')) };
}

function variadicNumbers(args: readonly Value[]): number[] {
  if (args.length === 0) throw new FunctionError('must pass at least one number');
  return args.map((_, i) => numberArg(args, i, 'numbers'));
}

/** Digit values for big.Int.SetString: 0-9, then a-z (10-35), then A-Z (36-61), case-folded up to base 36. */
function digitValue(ch: string, base: number): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 97 + 10;
  if (c >= 65 && c <= 90) return base <= 36 ? c - 65 + 10 : c - 65 + 36;
  return 99;
}

function parseInt(args: readonly Value[]): number {
  const raw = args[0] ?? null;
  if (typeof raw !== 'string') {
    throw argError(0, 'number', `first argument must be a string, not ${raw === null ? 'null' : describeKind(raw)}`);
  }
  const base = intArg(args, 1, 'base');
  if (base < 2 || base > 62) throw argError(1, 'base', 'base must be a whole number between 2 and 62 inclusive');
  const m = /^([+-]?)(.+)$/s.exec(raw);
  const digits = m?.[2] ?? '';
  let value = 0n;
  for (const ch of digits) {
    const d = digitValue(ch, base);
    if (d >= base) throw argError(0, 'number', `cannot parse ${JSON.stringify(raw)} as a base ${base} integer`);
    value = value * BigInt(base) + BigInt(d);
  }
  if (digits === '') throw argError(0, 'number', `cannot parse ${JSON.stringify(raw)} as a base ${base} integer`);
  return Number(m?.[1] === '-' ? -value : value);
}

export const numericFunctions: Record<string, HclFunction> = {
  abs: num1(Math.abs),
  ceil: num1(Math.ceil),
  floor: num1(Math.floor),
  signum: num1((n) => (n > 0 ? 1 : n < 0 ? -1 : 0)),
  log: {
    params: ['num', 'base'],
    impl: (args) => Math.log(numberArg(args, 0, 'num')) / Math.log(numberArg(args, 1, 'base')),
  },
  pow: {
    params: ['num', 'power'],
    impl: (args) => Math.pow(numberArg(args, 0, 'num'), numberArg(args, 1, 'power')),
  },
  max: { params: [], variadic: 'numbers', impl: (args) => Math.max(...variadicNumbers(args)) },
  min: { params: [], variadic: 'numbers', impl: (args) => Math.min(...variadicNumbers(args)) },
  parseint: { params: ['number', 'base'], impl: parseInt },
  sum: {
    params: ['list'],
    impl(args) {
      const list = listArg(args, 0, 'list');
      if (list.length === 0) throw argError(0, 'list', 'cannot sum an empty list');
      return list.reduce<number>((acc, v, i) => {
        if (v === null || typeof v === 'object') throw argError(0, 'list', `a list of numbers is required; element ${i} is ${describeKind(v)}`);
        try {
          return acc + (convertValue(v, { kind: 'number' }) as number);
        } catch {
          throw argError(0, 'list', `a list of numbers is required; element ${i} is the string ${JSON.stringify(v)}`);
        }
      }, 0);
    },
  },
};
