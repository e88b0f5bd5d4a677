// Small helpers for canonicalization: "unset" tests that treat null and undefined alike (a Go nil
// pointer), field-by-field defaulting and merging of flat policy structs, and Nomad's habit of
// storing empty lists and maps as null.

/** A field is set when it is neither undefined nor null. */
export function isSet<T>(v: T | null | undefined): v is T {
  return v !== undefined && v !== null;
}

/**
 * Every field of `defaults`, taken from `v` where v sets it (api Canonicalize for flat structs).
 * Only the keys of defaults are read, so unknown input fields are dropped.
 */
export function fill<T extends object>(v: object | null | undefined, defaults: T): T {
  const out = { ...defaults };
  if (v === null || v === undefined) return out;
  const src = v as Record<string, unknown>;
  for (const k of Object.keys(defaults) as (keyof T & string)[]) {
    const x = src[k];
    if (x !== undefined && x !== null) out[k] = x as T[keyof T & string];
  }
  return out;
}

/** Fields set in `over` replace those of `base` (Nomad's Merge on api policy structs). */
export function mergeSet<T extends object>(base: T, over: object | null | undefined): T {
  const out = { ...base } as Record<string, unknown>;
  if (over !== null && over !== undefined) for (const [k, x] of Object.entries(over)) if (x !== undefined && x !== null) out[k] = x;
  return out as T;
}

/** An empty or absent list as null; otherwise a copy. */
export function listOrNull<T>(v: readonly T[] | null | undefined): T[] | null {
  return v === null || v === undefined || v.length === 0 ? null : [...v];
}

/** An empty or absent map as null; otherwise a copy. */
export function mapOrNull<V>(v: Record<string, V> | null | undefined): Record<string, V> | null {
  return v === null || v === undefined || Object.keys(v).length === 0 ? null : { ...v };
}
