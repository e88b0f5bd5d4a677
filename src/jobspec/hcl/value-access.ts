// Attribute access and indexing on values, with HCL's messages. Failures throw EvalFailure, the
// evaluator's internal signal that one expression failed; evaluate() turns it into a diagnostic.
import { errorDiag, suggestionSuffix, type Diagnostic } from './diagnostics.js';
import type { TraversalStep } from './ast.js';
import { toNumber, toStringValue } from './convert.js';
import type { Range } from './pos.js';
import { isObject, typeName, type Value } from './value.js';

export class EvalFailure extends Error {
  readonly diags: Diagnostic[];
  constructor(diags: Diagnostic[]) {
    super(diags[0]?.summary ?? 'evaluation failed');
    this.diags = diags;
  }
}

export function fail(summary: string, detail: string, subject?: Range, context?: Range): never {
  throw new EvalFailure([errorDiag(summary, detail, subject, context)]);
}

export function getAttr(v: Value, name: string, range: Range): Value {
  if (v === null) fail('Attempt to get attribute from null value', 'This value is null, so it does not have any attributes.', range);
  if (isObject(v)) {
    if (Object.hasOwn(v, name)) return v[name] ?? null;
    fail('Unsupported attribute', `This object does not have an attribute named "${name}".${suggestionSuffix(name, Object.keys(v))}`, range);
  }
  if (Array.isArray(v)) {
    // HCL 1 compatibility: `.0` after a list is an index, handled by the caller as an index step.
    fail('Unsupported attribute', `Can't access attributes on a list of objects. Did you mean to access attribute "${name}" for a specific element of the list, or across all elements of the list?`, range);
  }
  return fail('Unsupported attribute', `Can't access attributes on a primitive-typed value (${typeName(v)}).`, range);
}

export function indexValue(v: Value, key: Value, range: Range): Value {
  if (v === null) fail('Attempt to index null value', 'This value is null, so it does not have any indices.', range);
  if (key === null) fail('Invalid index', 'Can\'t use a null value as an indexing key.', range);
  if (Array.isArray(v)) {
    const n = toNumber(key);
    if (n === undefined) fail('Invalid index', 'The given key does not identify an element in this collection value: a number is required.', range);
    if (!Number.isInteger(n)) fail('Invalid index', 'The given key does not identify an element in this collection value: a whole number is required.', range);
    if (n < 0 || n >= v.length) fail('Invalid index', `The given key does not identify an element in this collection value: the collection has ${v.length} elements and the index ${n} is out of range.`, range);
    return v[n] ?? null;
  }
  if (isObject(v)) {
    const k = toStringValue(key);
    if (k === undefined) fail('Invalid index', 'The given key does not identify an element in this collection value: a string is required.', range);
    if (!Object.hasOwn(v, k)) fail('Invalid index', `The given key does not identify an element in this collection value.${suggestionSuffix(k, Object.keys(v))}`, range);
    return v[k] ?? null;
  }
  return fail('Invalid index', `This value does not have any indices: it is a ${typeName(v)}.`, range);
}

/** Applies traversal steps; `.0` on a list is an index, on an object an attribute named "0". */
export function applySteps(v: Value, steps: readonly TraversalStep[]): Value {
  let cur = v;
  for (const step of steps) {
    if (step.kind === 'attr') cur = getAttr(cur, step.name, step.range);
    else cur = indexValue(cur, step.key, step.range);
  }
  return cur;
}
