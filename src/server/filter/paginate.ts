// Nomad's list-endpoint pagination (`per_page`, `next_token`, `reverse`) over items the caller
// has already sorted in token order. The page starts at the first item whose token is at or
// past `nextToken`, holds at most `perPage` items, and the answer's `nextToken` is the token of
// the item that would start the next page ("" on the last page). Filtering through `keep`
// happens before counting, as in Nomad's paginator, so a page is full of matching items and the
// next token names the next *matching* item. It must never sort, and never read a clock.

export interface PageOptions<T> {
  /** Items per page; 0 means all. Must be a non-negative integer (the HTTP layer validates `per_page`). */
  readonly perPage: number;
  /** Where the page starts; "" for the first page. */
  readonly nextToken: string;
  /** The item's token: its ID, or a composite such as `${CreateIndex}.${ID}` built by the caller. */
  readonly tokenOf: (item: T) => string;
  /** Items are in descending token order; the page starts at the first token ≤ nextToken. */
  readonly reverse?: boolean;
  /** Keeps only the items it accepts (e.g. `filter.matches`), evaluated lazily in page order. */
  readonly keep?: (item: T) => boolean;
  /** Token order; defaults to compareTokens (Go's byte-wise string order). */
  readonly compare?: (a: string, b: string) => number;
}

export interface Page<T> {
  readonly page: T[];
  /** The token of the first item after this page, or "" when there is none. */
  readonly nextToken: string;
}

export function paginate<T>(items: readonly T[], opts: PageOptions<T>): Page<T> {
  const { perPage, nextToken, tokenOf, reverse = false, keep, compare = compareTokens } = opts;
  if (!Number.isInteger(perPage) || perPage < 0) throw new RangeError(`perPage must be a non-negative integer, not ${perPage}`);
  let started = nextToken === '';
  const page: T[] = [];
  for (const item of items) {
    const token = tokenOf(item);
    if (!started) {
      const c = compare(token, nextToken);
      if (reverse ? c > 0 : c < 0) continue;
    }
    if (keep !== undefined && !keep(item)) continue;
    started = true;
    if (perPage !== 0 && page.length === perPage) return { page, nextToken: token };
    page.push(item);
  }
  return { page, nextToken: '' };
}

/** Go's string order (UTF-8 bytes, i.e. code points), which differs from `<` on UTF-16 only past U+FFFF. */
export function compareTokens(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/**
 * Order for `${CreateIndex}.${rest}` tokens (Nomad's create-index tokenizer): the index compares
 * as a number, so "1009.x" comes after "101.y", then the rest as a string. A token without a
 * numeric prefix compares as a plain string.
 */
export function compareIndexedTokens(a: string, b: string): number {
  const ma = /^([0-9]+)(?:\.|$)/.exec(a);
  const mb = /^([0-9]+)(?:\.|$)/.exec(b);
  if (ma === null || mb === null) return compareTokens(a, b);
  const ia = (ma[1] ?? '').replace(/^0+(?=.)/, '');
  const ib = (mb[1] ?? '').replace(/^0+(?=.)/, '');
  if (ia.length !== ib.length) return ia.length < ib.length ? -1 : 1;
  if (ia !== ib) return ia < ib ? -1 : 1;
  return compareTokens(a.slice(ma[0].length), b.slice(mb[0].length));
}
