// Set functions, per cty stdlib: union, intersection, difference and cartesian product. Sets are
// arrays here; results hold each element once, converted to a single element type as cty does
// (mixed primitives become strings), in cty's set order (sorted, for primitive elements).
import type { Value } from '../hcl/value.js';
import { argError, listArg } from './args.js';
import { convertValue, toSetOrder } from './conversion.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { valueEquals } from './value-ops.js';

/** Every argument as a list, unified to one element type across all arguments. */
function setArgs(args: readonly Value[], param: string, min: number): Value[][] {
  if (args.length < min) throw new FunctionError(`at least ${min === 1 ? 'one argument is' : `${min} arguments are`} required`);
  const lists = args.map((_, i) => listArg(args, i, param));
  let unified: Value[];
  try {
    unified = convertValue(lists.flat(), { kind: 'list', elem: { kind: 'any' } }) as Value[];
  } catch {
    throw argError(0, param, 'all elements of all sets must be of the same type (strings, numbers and bools may be mixed, and then become strings)');
  }
  const out: Value[][] = [];
  let at = 0;
  for (const l of lists) {
    out.push(unified.slice(at, at + l.length));
    at += l.length;
  }
  return out;
}

const has = (list: readonly Value[], v: Value): boolean => list.some((x) => valueEquals(x, v));

export const setFunctions: Record<string, HclFunction> = {
  setunion: {
    params: ['first_set'],
    variadic: 'other_sets',
    impl: (args) => toSetOrder(setArgs(args, 'first_set', 1).flat()),
  },
  setintersection: {
    params: ['first_set'],
    variadic: 'other_sets',
    impl(args) {
      const [first = [], ...rest] = setArgs(args, 'first_set', 1);
      return toSetOrder(first.filter((v) => rest.every((r) => has(r, v))));
    },
  },
  setsubtract: {
    params: ['a', 'b'],
    impl(args) {
      const [a = [], b = []] = setArgs(args, 'a', 2);
      return toSetOrder(a.filter((v) => !has(b, v)));
    },
  },
  setproduct: {
    params: [],
    variadic: 'sets',
    impl(args) {
      if (args.length < 2) throw new FunctionError('at least two arguments are required');
      const lists = args.map((_, i) => listArg(args, i, 'sets'));
      let product: Value[][] = [[]];
      for (const list of lists) product = product.flatMap((prefix) => list.map((v) => [...prefix, v]));
      return product;
    },
  },
};
