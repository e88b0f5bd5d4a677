// Exhaustiveness and narrowing helpers shared by every layer.

/** Marks a switch as exhaustive: the compiler errors if a union member is unhandled. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
