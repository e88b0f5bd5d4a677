// Resolves a selector against the JSON object being filtered (and the names bound by enclosing
// `any`/`all` expressions). Follows go-bexpr's rules for maps: a missing key deeper than the top
// level is "not present" (each operator then has a fixed answer), while an unknown top-level
// field is an error, as Nomad reports a misspelt field. JSON null counts as not present (it is a
// nil map, slice or pointer in Nomad). It must never coerce or compare values.
import { isRecord } from '../../structs/assert.js';
import type { Selector } from './ast.js';

/** A name bound by `any`/`all`: an element (selectable into) or a key/index (a bare value). */
export interface Scope {
  readonly name: string;
  readonly value: unknown;
  /** Keys and indexes are values, not places: `k.x` is an error when `k` is a key. */
  readonly selectable: boolean;
  readonly parent: Scope | undefined;
}

export type Lookup = { readonly present: true; readonly value: unknown } | { readonly present: false };

const ABSENT: Lookup = { present: false };

/** Thrown with a user-facing reason; the evaluator positions it. */
export class SelectError extends Error {}

export function lookup(selector: Selector, datum: unknown, scope: Scope | undefined): Lookup {
  const [head, ...rest] = selector.path;
  if (head === undefined) return present(datum);
  for (let s = scope; s !== undefined; s = s.parent) {
    if (s.name !== head) continue;
    if (!s.selectable && rest.length > 0) {
      throw new SelectError(`${head} is a ${typeof s.value === 'number' ? 'list index' : 'map key'} (${JSON.stringify(s.value)}), so ${selector.text} selects nothing`);
    }
    return walk(s.value, rest, head);
  }
  if (isRecord(datum) && !Object.hasOwn(datum, head)) {
    const near = Object.keys(datum).find((k) => k.toLowerCase() === head.toLowerCase());
    throw new SelectError(`the object has no field ${JSON.stringify(head)}${near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}? field names are case-sensitive)`}`);
  }
  return walk(datum, selector.path, '');
}

function walk(start: unknown, path: readonly string[], prefix: string): Lookup {
  let cur = start;
  let where = prefix;
  for (const seg of path) {
    if (cur === null || cur === undefined) return ABSENT;
    if (Array.isArray(cur)) {
      if (!/^[0-9]+$/.test(seg)) throw new SelectError(`${where || 'the object'} is a list, so ${JSON.stringify(seg)} is not a valid index`);
      const i = Number(seg);
      if (i >= cur.length) return ABSENT;
      cur = cur[i];
    } else if (isRecord(cur)) {
      if (!Object.hasOwn(cur, seg)) return ABSENT;
      cur = cur[seg];
    } else {
      throw new SelectError(`${where || 'the object'} is a ${typeof cur}, so it has no field ${JSON.stringify(seg)}`);
    }
    where = where === '' ? seg : `${where}.${seg}`;
  }
  return present(cur);
}

function present(value: unknown): Lookup {
  return value === null || value === undefined ? ABSENT : { present: true, value };
}
