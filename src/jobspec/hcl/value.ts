// Values of the HCL evaluator. HCL (go-cty) distinguishes lists, tuples and sets, maps and objects;
// Roam represents them with plain JavaScript values, which is all Nomad's jobspec decoding needs:
//   string | number | boolean | null | Value[] (list, tuple or set) | { [key]: Value } (map or object).
// Sets are arrays with unique elements in a stable order. Numbers are JavaScript numbers.

export type Value = null | boolean | number | string | Value[] | ValueObject;
export interface ValueObject {
  [key: string]: Value;
}

export function isObject(v: Value): v is ValueObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The HCL type name of a value, as used in error messages ("string", "number", "bool", "tuple", "object", "null"). */
export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'tuple';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}
