// List, tuple and set functions, per cty stdlib (plus Terraform's one, alltrue and anytrue). Lists,
// tuples and sets are all arrays here, so these functions accept any of them where cty accepts
// any of them. Equality is cty's: no conversion, so 1 and "1" differ.
//
// Two Nomad specifics are kept on purpose: `index(collection, key)` is cty's element lookup (the
// value at a list index or map key), not Terraform's "position of a value"; and `reverse` is cty's
// string reversal in Nomad, so it reverses strings and additionally reverses lists.
import type { Value } from '../hcl/value.js';
import { isObject } from '../hcl/value.js';
import { argError, intArg, listArg, numberArg, required, stringListArg } from './args.js';
import { convertValue } from './conversion.js';
import { reverseString } from './strings.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { compareStrings, dedupe, describeKind, valueEquals } from './value-ops.js';

function flattenInto(items: readonly Value[], out: Value[]): void {
  for (const item of items) {
    if (Array.isArray(item)) flattenInto(item, out);
    else out.push(item);
  }
}

/** An element of a list(bool) parameter, converted as cty would ("true" is true). */
function elementBool(list: readonly Value[], i: number): boolean {
  const v = list[i] ?? null;
  if (v === null) return false;
  try {
    return convertValue(v, { kind: 'bool' }) as boolean;
  } catch {
    throw argError(0, 'list', `a list of bool is required; element ${i} is ${describeKind(v)}`);
  }
}

function range(args: readonly Value[]): Value[] {
  if (args.length < 1 || args.length > 3) throw new FunctionError('range must have one, two, or three arguments');
  const nums = args.map((_, i) => numberArg(args, i, 'params'));
  let [start = 0, end = 0, step = 1] = nums;
  if (nums.length === 1) [start, end, step] = [0, nums[0] ?? 0, (nums[0] ?? 0) < 0 ? -1 : 1];
  else if (nums.length === 2) step = end < start ? -1 : 1;
  if (step === 0) throw argError(2, 'step', 'step must not be zero');
  const down = step < 0;
  if (down && end > start) throw argError(1, 'end', 'end must be less than start when step is negative');
  if (!down && end < start) throw argError(1, 'end', 'end must be greater than start when step is positive');
  const out: Value[] = [];
  for (let n = start; down ? n > end : n < end; n += step) {
    if (out.length >= 1024) throw new FunctionError('more than 1024 values were generated; either decrease the difference between start and end or use a smaller step');
    out.push(n);
  }
  return out;
}

export const listFunctions: Record<string, HclFunction> = {
  length: {
    params: ['collection'],
    impl(args) {
      const v = required(args, 0, 'collection');
      if (Array.isArray(v)) return v.length;
      if (isObject(v)) return Object.keys(v).length;
      throw argError(0, 'collection', `a list, map, set or tuple is required, but got ${describeKind(v)}${typeof v === 'string' ? ' (use strlen for the length of a string)' : ''}`);
    },
  },
  element: {
    params: ['list', 'index'],
    impl(args) {
      const list = listArg(args, 0, 'list');
      const index = intArg(args, 1, 'index');
      if (index < 0) throw argError(1, 'index', 'cannot use element function with a negative index');
      if (list.length === 0) throw argError(0, 'list', 'cannot use element function with an empty list');
      return list[index % list.length] ?? null;
    },
  },
  index: {
    params: ['collection', 'key'],
    impl(args) {
      const coll = required(args, 0, 'collection');
      if (Array.isArray(coll)) {
        const key = intArg(args, 1, 'key');
        if (key < 0 || key >= coll.length) {
          throw argError(1, 'key', `index ${key} is out of range for a collection of ${coll.length} elements (Nomad's index returns the element at a position)`);
        }
        return coll[key] ?? null;
      }
      if (isObject(coll)) {
        const key = required(args, 1, 'key');
        if (typeof key !== 'string') throw argError(1, 'key', `a string key is required for a map, but got ${describeKind(key)}`);
        if (!Object.hasOwn(coll, key)) throw argError(1, 'key', `the map has no element with the key ${JSON.stringify(key)}`);
        return coll[key] ?? null;
      }
      throw argError(0, 'collection', `a list, map or tuple is required, but got ${describeKind(coll)}`);
    },
  },
  contains: {
    params: ['list', 'value'],
    impl(args) {
      const list = listArg(args, 0, 'list');
      const v = args[1] ?? null;
      return list.some((item) => valueEquals(item, v));
    },
  },
  distinct: { params: ['list'], impl: (args) => dedupe(listArg(args, 0, 'list')) },
  compact: {
    params: ['list'],
    // cty drops null elements as well as empty strings.
    impl: (args) => stringListArg([listArg(args, 0, 'list').filter((v) => v !== null)], 0, 'list').filter((s) => s !== ''),
  },
  concat: {
    params: [],
    variadic: 'seqs',
    impl(args) {
      if (args.length === 0) throw new FunctionError('at least one argument is required');
      return args.flatMap((_, i) => listArg(args, i, 'seqs'));
    },
  },
  flatten: {
    params: ['list'],
    impl(args) {
      const out: Value[] = [];
      flattenInto(listArg(args, 0, 'list'), out);
      return out;
    },
  },
  chunklist: {
    params: ['list', 'size'],
    impl(args) {
      const list = listArg(args, 0, 'list');
      const size = intArg(args, 1, 'size');
      if (size < 0) throw argError(1, 'size', 'the size argument must be positive');
      if (list.length === 0) return [];
      if (size === 0) return [list];
      const out: Value[] = [];
      for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
      return out;
    },
  },
  slice: {
    params: ['list', 'start_index', 'end_index'],
    impl(args) {
      const list = listArg(args, 0, 'list');
      const start = intArg(args, 1, 'start_index');
      const end = intArg(args, 2, 'end_index');
      if (start < 0) throw argError(1, 'start_index', 'start index must not be less than zero');
      if (start > list.length) throw argError(1, 'start_index', 'start index must not be greater than the length of the list');
      if (end < 0) throw argError(2, 'end_index', 'end index must not be less than zero');
      if (end > list.length) throw argError(2, 'end_index', 'end index must not be greater than the length of the list');
      if (start > end) throw argError(1, 'start_index', 'start index must not be greater than end index');
      return list.slice(start, end);
    },
  },
  sort: {
    params: ['list'],
    impl(args) {
      const list = listArg(args, 0, 'list');
      const nullAt = list.indexOf(null);
      if (nullAt >= 0) throw argError(0, 'list', `given list element ${nullAt} is null; a null string cannot be sorted`);
      return stringListArg(args, 0, 'list').sort(compareStrings);
    },
  },
  reverse: {
    params: ['list'],
    impl(args) {
      const v = required(args, 0, 'list');
      if (typeof v === 'string') return reverseString(v);
      if (Array.isArray(v)) return [...v].reverse();
      throw argError(0, 'list', `a list, tuple or string is required, but got ${describeKind(v)}`);
    },
  },
  coalescelist: {
    params: [],
    variadic: 'vals',
    impl(args) {
      if (args.length === 0) throw new FunctionError('at least one argument is required');
      args.forEach((a, i) => {
        if (a !== null && !Array.isArray(a)) throw argError(i, 'vals', 'coalescelist arguments must be lists or tuples');
      });
      const found = args.find((a) => Array.isArray(a) && a.length > 0);
      if (found === undefined) throw new FunctionError('no non-null arguments');
      return found;
    },
  },
  coalesce: {
    params: [],
    variadic: 'vals',
    impl(args) {
      if (args.length === 0) throw new FunctionError('at least one argument is required');
      let unified: Value[];
      try {
        unified = convertValue(args, { kind: 'list', elem: { kind: 'any' } }) as Value[];
      } catch {
        throw new FunctionError('all arguments must have the same type (strings, numbers and bools may be mixed, and then become strings)');
      }
      const found = unified.find((v) => v !== null);
      if (found === undefined) throw new FunctionError('no non-null arguments');
      return found;
    },
  },
  range: { params: [], variadic: 'params', impl: range },
  one: {
    params: ['list'],
    impl(args) {
      const list = listArg(args, 0, 'list');
      if (list.length > 1) throw argError(0, 'list', `must be a list, set, or tuple value with either zero or one elements, but has ${list.length}`);
      return list[0] ?? null;
    },
  },
  alltrue: {
    params: ['list'],
    impl(args) {
      const list = listArg(args, 0, 'list');
      return list.every((_, i) => elementBool(list, i));
    },
  },
  anytrue: {
    params: ['list'],
    impl(args) {
      const list = listArg(args, 0, 'list');
      return list.some((_, i) => elementBool(list, i));
    },
  },
};
