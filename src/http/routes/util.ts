// Helpers shared by route modules: reading request fields with clear 400s, and answering list
// endpoints with Nomad's pagination header.
import type { ListOptions } from '../../server/list.js';
import { BadRequestError } from '../errors.js';
import { firstParam } from '../query.js';
import type { RouteReply, RouteRequest } from '../route.js';

export function listOptions(req: RouteRequest): ListOptions {
  return { filter: req.query.filter, perPage: req.query.perPage, nextToken: req.query.nextToken, reverse: req.query.reverse };
}

export function listReply(items: unknown[], index: number, nextToken: string): RouteReply {
  return { body: items, index: Math.max(1, index), ...(nextToken ? { headers: { 'X-Nomad-NextToken': nextToken } } : {}) };
}

export function boolParam(req: RouteRequest, name: string): boolean {
  const v = firstParam(req.rawQuery, name);
  return v !== undefined && (v === '' || v === 'true' || v === '1');
}

export function stringParam(req: RouteRequest, name: string): string {
  return firstParam(req.rawQuery, name) ?? '';
}

export function requireObject(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined || body === null) throw new BadRequestError(`Request body is empty: expected ${what}`);
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError(`Request body must be a JSON object: expected ${what}`);
  return body as Record<string, unknown>;
}

export function blockingOpts(req: RouteRequest): { minIndex: number; waitMs: number; signal: AbortSignal } {
  return { minIndex: req.query.minIndex, waitMs: req.query.waitMs, signal: req.signal };
}
