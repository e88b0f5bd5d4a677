// Map and object functions, per cty stdlib (transpose per Terraform). Maps and objects are plain
// objects here; keys are always listed in cty's order (lexicographic by code point), never in
// JavaScript's property order, which would put integer-like keys first.
import type { Value, ValueObject } from '../hcl/value.js';
import { isObject } from '../hcl/value.js';
import { argError, listArg, objectArg, required, stringArg, stringListArg } from './args.js';
import { convertValue } from './conversion.js';
import type { HclFunction } from './types.js';
import { FunctionError } from './types.js';
import { describeKind, setKey, sortedKeys } from './value-ops.js';

export const mapFunctions: Record<string, HclFunction> = {
  keys: {
    params: ['inputMap'],
    impl: (args) => sortedKeys(objectArg(args, 0, 'inputMap')),
  },
  values: {
    params: ['mapping'],
    impl(args) {
      const m = objectArg(args, 0, 'mapping');
      return sortedKeys(m).map((k) => m[k] ?? null);
    },
  },
  lookup: {
    params: ['inputMap', 'key'],
    variadic: 'default',
    impl(args) {
      const m = objectArg(args, 0, 'inputMap');
      const key = stringArg(args, 1, 'key');
      if (args.length > 3) throw new FunctionError(`lookup takes at most three arguments (map, key, default), but got ${args.length}`, 3);
      if (Object.hasOwn(m, key)) return m[key] ?? null;
      if (args.length === 3) return args[2] ?? null;
      throw argError(1, 'key', `the given key ${JSON.stringify(key)} was not found in the map, and no default was given`);
    },
  },
  merge: {
    params: [],
    variadic: 'maps',
    impl(args) {
      const out: ValueObject = {};
      args.forEach((a, i) => {
        if (a === null) return;
        if (!isObject(a)) throw argError(i, 'maps', `arguments must be maps or objects, but got ${describeKind(a)}`);
        for (const k of Object.keys(a)) setKey(out, k, a[k] ?? null);
      });
      return out;
    },
  },
  zipmap: {
    params: ['keys', 'values'],
    impl(args) {
      const keys = listArg(args, 0, 'keys');
      const nullAt = keys.indexOf(null);
      if (nullAt >= 0) throw argError(0, 'keys', `keys list has null value at index ${nullAt}`);
      const names = stringListArg(args, 0, 'keys');
      const vals = listArg(args, 1, 'values');
      if (names.length !== vals.length) {
        throw new FunctionError(`number of keys (${names.length}) does not match number of values (${vals.length})`);
      }
      const out: ValueObject = {};
      names.forEach((k, i) => setKey(out, k, vals[i] ?? null));
      return out;
    },
  },
  transpose: {
    params: ['values'],
    impl(args) {
      const m = objectArg(args, 0, 'values');
      const out: Record<string, string[]> = {};
      for (const k of sortedKeys(m)) {
        const list = required([m[k] ?? null], 0, 'values');
        if (!Array.isArray(list)) throw argError(0, 'values', `a map of lists of strings is required; element ${JSON.stringify(k)} is ${describeKind(list)}`);
        for (const item of list) {
          if (item === null || typeof item === 'object') {
            throw argError(0, 'values', `a map of lists of strings is required; element ${JSON.stringify(k)} holds ${describeKind(item)}`);
          }
          const name = convertValue(item, { kind: 'string' }) as string;
          const bucket = Object.hasOwn(out, name) ? out[name] : undefined;
          if (bucket === undefined) Object.defineProperty(out, name, { value: [k], enumerable: true, writable: true, configurable: true });
          else bucket.push(k);
        }
      }
      const result: ValueObject = {};
      for (const [k, v] of Object.entries(out)) setKey(result, k, v as Value);
      return result;
    },
  },
};
