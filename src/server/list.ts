// Filtering and pagination for list endpoints, as Nomad applies them: `filter` (go-bexpr) on the
// objects returned, then `per_page`/`next_token` over items in token order.
import { compileFilter, FilterError, paginate } from './filter/index.js';
import { badRequest } from './errors.js';

export interface ListOptions {
  filter: string;
  perPage: number;
  nextToken: string;
  reverse: boolean;
}

export function listPage<T>(items: readonly T[], q: ListOptions, tokenOf: (item: T) => string): { items: T[]; nextToken: string } {
  let keep: ((item: T) => boolean) | undefined;
  if (q.filter) {
    try {
      const f = compileFilter(q.filter);
      keep = (item) => f.matches(item);
    } catch (err) {
      if (err instanceof FilterError) throw badRequest(err.message);
      throw err;
    }
  }
  try {
    const page = paginate(q.reverse ? [...items].reverse() : items, { perPage: q.perPage, nextToken: q.nextToken, tokenOf, reverse: q.reverse, ...(keep ? { keep } : {}) });
    return { items: page.page, nextToken: page.nextToken };
  } catch (err) {
    if (err instanceof FilterError) throw badRequest(err.message);
    throw err;
  }
}
