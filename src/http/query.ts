// Query options Nomad accepts on every read (`index`, `wait`, `prefix`, `namespace`, `filter`,
// `per_page`, `next_token`, `reverse`, `pretty`, `stale`, `region`), parsed once and typed.
import { parseDuration, SECOND } from '../structs/duration.js';
import { BadRequestError } from './errors.js';

export const MAX_BLOCKING_WAIT_MS = 300_000;
export const DEFAULT_BLOCKING_WAIT_MS = 300_000;

export interface QueryOptions {
  /** Wait until the result's index is greater than this (a blocking query) when > 0. */
  minIndex: number;
  /** How long a blocking query may wait, in ms (capped at 300 s, as Nomad caps it). */
  waitMs: number;
  prefix: string;
  namespace: string;
  region: string;
  filter: string;
  perPage: number;
  nextToken: string;
  reverse: boolean;
  pretty: boolean;
  stale: boolean;
}

export type RawQuery = Record<string, string | string[] | undefined>;

export function firstParam(q: RawQuery, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

function flag(q: RawQuery, name: string): boolean {
  const v = firstParam(q, name);
  if (v === undefined) return false;
  return v === '' || v === 'true' || v === '1';
}

function nonNegativeInt(q: RawQuery, name: string): number {
  const v = firstParam(q, name);
  if (v === undefined || v === '') return 0;
  if (!/^\d+$/.test(v)) throw new BadRequestError(`Invalid ${name} value ${JSON.stringify(v)}: expected a non-negative integer`);
  return Number(v);
}

export function parseQueryOptions(q: RawQuery, defaults: { namespace?: string; region?: string } = {}): QueryOptions {
  const waitRaw = firstParam(q, 'wait');
  let waitMs = DEFAULT_BLOCKING_WAIT_MS;
  if (waitRaw !== undefined && waitRaw !== '') {
    try {
      // Nomad accepts a Go duration ("10s"); a bare number is read as seconds for convenience.
      waitMs = /^\d+$/.test(waitRaw) ? Number(waitRaw) * 1000 : parseDuration(waitRaw) / 1_000_000;
    } catch (err) {
      throw new BadRequestError(`Invalid wait time: ${(err as Error).message}`);
    }
  }
  waitMs = Math.min(Math.max(waitMs, 0), MAX_BLOCKING_WAIT_MS);
  return {
    minIndex: nonNegativeInt(q, 'index'),
    waitMs: waitMs || SECOND / 1_000_000,
    prefix: firstParam(q, 'prefix') ?? '',
    namespace: firstParam(q, 'namespace') || defaults.namespace || 'default',
    region: firstParam(q, 'region') || defaults.region || 'global',
    filter: firstParam(q, 'filter') ?? '',
    perPage: nonNegativeInt(q, 'per_page'),
    nextToken: firstParam(q, 'next_token') ?? '',
    reverse: flag(q, 'reverse'),
    pretty: flag(q, 'pretty'),
    stale: flag(q, 'stale'),
  };
}
