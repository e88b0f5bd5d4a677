// Routes clients use to talk to servers (Nomad's Node.Register, Node.UpdateStatus,
// Node.GetClientAllocs, Alloc.GetAllocs and Node.UpdateAlloc RPCs). Roam clients reach servers only
// over HTTP, so these live under /v1/internal/; a client proves itself with its node secret in
// X-Nomad-Token.
import type { ClientAllocUpdate } from '../../server/allocs.js';
import type { Server } from '../../server/server.js';
import type { Node, NodeStatus } from '../../structs/node.js';
import { BadRequestError } from '../errors.js';
import type { Route } from '../route.js';
import { blockingOpts, requireObject } from './util.js';

export function internalRoutes(server: Server): Route[] {
  return [
    {
      methods: ['PUT', 'POST'],
      path: '/v1/internal/node/register',
      handler: async (req) => {
        const body = requireObject(req.body, '{"Node": {...}}');
        const r = await server.nodes.register(body['Node'] as Node);
        return { body: r, index: r.Index };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/internal/node/:id/status',
      handler: async (req) => {
        const body = requireObject(req.body, '{"Status": "ready"}');
        const status = body['Status'];
        if (status !== 'ready' && status !== 'initializing' && status !== 'down' && status !== 'disconnected') throw new BadRequestError(`invalid node status ${JSON.stringify(status)}`);
        const r = await server.nodes.updateStatus(req.params['id'] ?? '', req.token, status as NodeStatus);
        return { body: r, index: r.Index };
      },
    },
    {
      methods: ['GET'],
      path: '/v1/internal/node/:id/allocations',
      handler: async (req) => {
        const r = await server.allocs.clientAllocs(req.params['id'] ?? '', req.token, blockingOpts(req));
        return { body: r, index: r.Index };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/internal/allocations',
      handler: async (req) => {
        const body = requireObject(req.body, '{"AllocIDs": [...]}');
        const ids = body['AllocIDs'];
        if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw new BadRequestError('AllocIDs must be a list of allocation IDs');
        const allocs = server.allocs.getAllocs(ids as string[]);
        return { body: { Allocs: allocs, Index: server.store.snapshot().index('allocs') }, index: server.store.snapshot().index('allocs') };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/internal/node/:id/allocations',
      handler: async (req) => {
        const body = requireObject(req.body, '{"Alloc": [...]}');
        const r = await server.allocs.updateFromClient(req.params['id'] ?? '', req.token, body['Alloc'] as ClientAllocUpdate[]);
        return { body: r, index: r.Index };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/internal/services',
      handler: async (req) => {
        const body = requireObject(req.body, '{"Services": [...]}');
        const r = await server.services.upsertFromClient(req.token, body['Services']);
        return { body: r, index: r.Index };
      },
    },
    {
      methods: ['DELETE'],
      path: '/v1/internal/services',
      handler: async (req) => {
        const body = requireObject(req.body, '{"IDs": [...]}');
        const ids = body['IDs'];
        if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw new BadRequestError('IDs must be a list of service registration IDs');
        const r = await server.services.deleteFromClient(req.token, ids as string[]);
        return { body: r, index: r.Index };
      },
    },
  ];
}
