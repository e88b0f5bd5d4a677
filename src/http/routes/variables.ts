// /v1/vars and /v1/var/:path: Nomad Variables (command/agent/variable_endpoint.go). Paths contain
// "/", so the single-variable routes use a wildcard. Reads are blocking queries on the variables
// table; a failed check-and-set (`?cas=N`) answers 409 with the current variable, as Nomad does.
// A PUT with `?lock-acquire`, `?lock-renew` or `?lock-release` (exactly one, never with `cas`) is a
// lock operation; a write blocked by someone else's lock answers 409 with an empty variable.
import { blockingQuery } from '../../server/blocking.js';
import { listPage } from '../../server/list.js';
import type { Server } from '../../server/server.js';
import type { VariableWrite, VariableWriteResult } from '../../server/variables.js';
import { BadRequestError } from '../errors.js';
import { firstParam } from '../query.js';
import type { Route, RouteReply, RouteRequest } from '../route.js';
import { blockingOpts, listOptions, listReply, requireObject } from './util.js';

const LOCK_OPS = ['lock-acquire', 'lock-renew', 'lock-release'] as const;
type LockOp = (typeof LOCK_OPS)[number];

function varPath(req: RouteRequest): string {
  const p = req.params['*'] ?? '';
  if (p === '') throw new BadRequestError('missing variable path');
  return p;
}

function casParam(req: RouteRequest): number | undefined {
  const v = firstParam(req.rawQuery, 'cas');
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new BadRequestError(`failed to parse cas index ${JSON.stringify(v)}: expected a non-negative integer`);
  return Number(v);
}

/** Nomad's getLockOperation: the lock operation a PUT asks for (a present parameter, any value), if any. */
function lockOperation(req: RouteRequest): LockOp | undefined {
  const ops = LOCK_OPS.filter((op) => firstParam(req.rawQuery, op) !== undefined);
  if (ops.length > 1) throw new BadRequestError('multiple lock operations');
  return ops[0];
}

/** The body of a PUT as a variable write at the URL's path (the body's Namespace wins over ?namespace=). */
function variableWrite(req: RouteRequest, path: string): VariableWrite {
  const body = requireObject(req.body, 'a variable');
  const bodyPath = body['Path'];
  if (bodyPath !== undefined && bodyPath !== '' && bodyPath !== path) throw new BadRequestError(`variable path in the body (${String(bodyPath)}) does not match the URL (${path})`);
  const bodyNs = body['Namespace'];
  const namespace = typeof bodyNs === 'string' && bodyNs !== '' ? bodyNs : req.query.namespace;
  return { Namespace: namespace, Path: path, Items: body['Items'], Lock: body['Lock'] };
}

function lockIdOf(lock: unknown): string {
  if (lock === null || typeof lock !== 'object') return '';
  const id = (lock as Record<string, unknown>)['ID'];
  return typeof id === 'string' ? id : '';
}

function writeReply(r: VariableWriteResult): RouteReply {
  if (!r.ok) return { body: r.conflict, index: r.index, status: 409 };
  return { body: r.variable, index: r.index };
}

export function variableRoutes(server: Server): Route[] {
  const store = server.store;
  return [
    {
      methods: ['GET'],
      path: '/v1/vars',
      handler: async (req) => {
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: server.variables.list(snap, req.query.namespace, req.query.prefix), index: snap.index('variables') }));
        const page = listPage(r.value, listOptions(req), (v) => `${v.Namespace}.${v.Path}`);
        return listReply(page.items, r.index, page.nextToken);
      },
    },
    {
      methods: ['GET'],
      path: '/v1/var/*',
      handler: async (req) => {
        const path = varPath(req);
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: server.variables.read(snap, req.query.namespace, path), index: snap.index('variables') }));
        // Nomad sets the query meta before answering 404, so a blocking query can wait for a variable to appear.
        if (!r.value) return { body: 'variable not found', status: 404, index: Math.max(1, r.index), headers: { 'Content-Type': 'text/plain; charset=utf-8' } };
        return { body: r.value, index: Math.max(1, r.index) };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/var/*',
      handler: async (req) => {
        const path = varPath(req);
        const op = lockOperation(req);
        const cas = casParam(req);
        if (op && cas !== undefined) throw new BadRequestError("CAS can't be used with lock operations");
        const write = variableWrite(req, path);
        switch (op) {
          case undefined:
            return writeReply(await server.variables.put(write, cas));
          case 'lock-acquire':
            return writeReply(await server.variables.acquireLock(write));
          case 'lock-release':
            return writeReply(await server.variables.releaseLock(write));
          case 'lock-renew': {
            const r = server.variables.renewLock(store.snapshot(), write.Namespace, path, lockIdOf(write.Lock));
            return { body: r.metadata, index: r.index };
          }
        }
      },
    },
    {
      methods: ['DELETE'],
      path: '/v1/var/*',
      handler: async (req) => {
        return writeReply(await server.variables.delete(req.query.namespace, varPath(req), casParam(req)));
      },
    },
  ];
}
