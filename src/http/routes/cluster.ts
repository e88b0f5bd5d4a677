// /v1/evaluations, /v1/evaluation/:id, /v1/allocations, /v1/allocation/:id, /v1/nodes,
// /v1/node/:id, /v1/system/gc, /v1/namespaces and /v1/search: the read side of the cluster and the
// operator's actions on it.
import type { Server } from '../../server/server.js';
import { blockingQuery } from '../../server/blocking.js';
import { listPage } from '../../server/list.js';
import { allocListStub, type AllocListStub, type Allocation } from '../../structs/alloc.js';
import { nodeListStub, publicNode } from '../../structs/node.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { Route, RouteRequest } from '../route.js';
import { blockingOpts, boolParam, listOptions, listReply, requireObject, stringParam } from './util.js';

/** The list form of an allocation; AllocatedResources only with ?resources=true, as Nomad sends it. */
function stub(a: Allocation, withResources: boolean, withTaskStates = true): AllocListStub {
  const s = allocListStub(a);
  return { ...s, ...(withResources ? {} : { AllocatedResources: null }), ...(withTaskStates ? {} : { TaskStates: null }) };
}

export function clusterRoutes(server: Server): Route[] {
  const store = server.store;
  const byCreate = (x: { CreateIndex: number; ID: string }): string => `${String(x.CreateIndex).padStart(20, '0')}.${x.ID}`;
  /** The node a path names: its ID, or a prefix matching exactly one node. */
  const nodeID = (req: RouteRequest): string => {
    const id = req.params['id'] ?? '';
    const snap = store.snapshot();
    if (snap.node(id)) return id;
    const matches = snap.nodes().filter((n) => n.ID.startsWith(id));
    return matches.length === 1 && matches[0] ? matches[0].ID : id;
  };
  return [
    // ---- evaluations ---------------------------------------------------------------------------
    {
      methods: ['GET'],
      path: '/v1/evaluations',
      handler: async (req) => {
        const job = stringParam(req, 'job');
        const status = stringParam(req, 'status');
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({
          value: snap.evals(req.query.namespace).filter((e) => e.ID.startsWith(req.query.prefix) && (!job || e.JobID === job) && (!status || e.Status === status)),
          index: snap.index('evals'),
        }));
        const page = listPage(r.value, listOptions(req), byCreate);
        return listReply(page.items, r.index, page.nextToken);
      },
    },
    {
      methods: ['GET'],
      path: '/v1/evaluations/count',
      handler: async (req) => {
        const snap = store.snapshot();
        return { body: { Count: listPage(snap.evals(req.query.namespace), { ...listOptions(req), perPage: 0, nextToken: '' }, byCreate).items.length }, index: Math.max(1, snap.index('evals')) };
      },
    },
    {
      methods: ['GET'],
      path: '/v1/evaluation/:id',
      handler: async (req) => {
        const id = req.params['id'] ?? '';
        const r = await blockingQuery(store, blockingOpts(req), (snap) => {
          const e = snap.eval(id);
          return { value: e, index: e?.ModifyIndex ?? snap.index('evals') };
        });
        if (!r.value) throw new NotFoundError('eval not found');
        let body: unknown = r.value;
        if (boolParam(req, 'related')) {
          const snap = store.snapshot();
          const related = snap.evalsByJob(r.value.Namespace, r.value.JobID).filter((e) => e.ID !== id && (e.PreviousEval === id || e.ID === r.value?.PreviousEval || e.ID === r.value?.NextEval || e.ID === r.value?.BlockedEval));
          body = { ...r.value, RelatedEvals: related.map((e) => ({ ID: e.ID, Namespace: e.Namespace, Priority: e.Priority, Type: e.Type, TriggeredBy: e.TriggeredBy, JobID: e.JobID, NodeID: e.NodeID, DeploymentID: e.DeploymentID, Status: e.Status, StatusDescription: e.StatusDescription, WaitUntil: e.WaitUntil, NextEval: e.NextEval, PreviousEval: e.PreviousEval, BlockedEval: e.BlockedEval, CreateIndex: e.CreateIndex, ModifyIndex: e.ModifyIndex, CreateTime: e.CreateTime, ModifyTime: e.ModifyTime })) };
        }
        return { body, index: r.index };
      },
    },
    {
      methods: ['GET'],
      path: '/v1/evaluation/:id/allocations',
      handler: async (req) => {
        const snap = store.snapshot();
        return { body: snap.allocsByEval(req.params['id'] ?? '').map(allocListStub), index: Math.max(1, snap.index('allocs')) };
      },
    },
    // ---- allocations ---------------------------------------------------------------------------
    {
      methods: ['GET'],
      path: '/v1/allocations',
      handler: async (req) => {
        const withRes = boolParam(req, 'resources');
        // ?task_states=false leaves the task states out, as Nomad does (they are most of a stub).
        const withTaskStates = stringParam(req, 'task_states') !== 'false';
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: snap.allocs(req.query.namespace).filter((a) => a.ID.startsWith(req.query.prefix)), index: snap.index('allocs') }));
        const page = listPage(r.value.map((a) => stub(a, withRes, withTaskStates)), listOptions(req), byCreate);
        return listReply(page.items, r.index, page.nextToken);
      },
    },
    {
      methods: ['GET'],
      path: '/v1/allocation/:id',
      handler: async (req) => {
        const id = req.params['id'] ?? '';
        const r = await blockingQuery(store, blockingOpts(req), (snap) => {
          const a = snap.alloc(id);
          return { value: a, index: a?.ModifyIndex ?? snap.index('allocs') };
        });
        if (!r.value) throw new NotFoundError('alloc not found');
        return { body: r.value, index: r.index };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/allocation/:id/stop',
      handler: async (req) => {
        const r = await server.allocs.stop(req.params['id'] ?? '', boolParam(req, 'no_shutdown_delay'));
        return { body: r, index: r.Index };
      },
    },
    {
      methods: ['GET'],
      path: '/v1/allocation/:id/services',
      handler: async (req) => {
        const snap = store.snapshot();
        return { body: snap.servicesByAlloc(req.params['id'] ?? ''), index: Math.max(1, snap.index('services')) };
      },
    },
    // ---- nodes ---------------------------------------------------------------------------------
    {
      methods: ['GET'],
      path: '/v1/nodes',
      handler: async (req) => {
        const withRes = boolParam(req, 'resources');
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: snap.nodes().filter((n) => n.ID.startsWith(req.query.prefix)).map((n) => nodeListStub(n, withRes)), index: snap.index('nodes') }));
        const page = listPage(r.value, listOptions(req), (n) => n.ID);
        return listReply(page.items, r.index, page.nextToken);
      },
    },
    {
      methods: ['GET'],
      path: '/v1/node/:id',
      handler: async (req) => {
        const id = nodeID(req);
        const r = await blockingQuery(store, blockingOpts(req), (snap) => {
          const n = snap.node(id);
          return { value: n, index: n?.ModifyIndex ?? snap.index('nodes') };
        });
        if (!r.value) throw new NotFoundError('node not found');
        return { body: publicNode(r.value), index: r.index };
      },
    },
    {
      methods: ['GET'],
      path: '/v1/node/:id/allocations',
      handler: async (req) => {
        const id = nodeID(req);
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: snap.allocsByNode(id), index: snap.index('allocs') }));
        return { body: r.value, index: r.index };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/node/:id/eligibility',
      handler: async (req) => {
        const body = requireObject(req.body, '{"Eligibility": "eligible" | "ineligible"}');
        const r = await server.nodes.updateEligibility(nodeID(req), body['Eligibility'] as 'eligible');
        return { body: r, index: r.Index };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/node/:id/evaluate',
      handler: async (req) => {
        const r = await server.nodes.evaluate(nodeID(req));
        return { body: r, index: r.Index };
      },
    },
    // ---- system, namespaces, search ------------------------------------------------------------
    {
      methods: ['PUT', 'POST'],
      path: '/v1/system/gc',
      handler: async () => {
        await server.gc(true);
        return { body: null };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/system/reconcile/summaries',
      // Summaries are derived from allocations on every read, so there is never anything to reconcile.
      handler: async () => ({ body: null }),
    },
    {
      methods: ['GET'],
      path: '/v1/namespaces',
      handler: async () => ({ body: [defaultNamespace()], index: 1 }),
    },
    {
      methods: ['GET'],
      path: '/v1/namespace/:name',
      handler: async (req) => {
        if (req.params['name'] !== 'default') throw new NotFoundError(`namespace ${JSON.stringify(req.params['name'])} not found`);
        return { body: defaultNamespace(), index: 1 };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/search',
      handler: async (req) => {
        const body = requireObject(req.body, '{"Prefix": "...", "Context": "all"}');
        const prefix = typeof body['Prefix'] === 'string' ? body['Prefix'] : '';
        const context = typeof body['Context'] === 'string' ? body['Context'] : 'all';
        const known = ['all', 'jobs', 'evals', 'allocs', 'nodes', 'deployment', 'namespaces'];
        if (!known.includes(context)) throw new BadRequestError(`invalid context ${JSON.stringify(context)}: expected one of ${known.join(', ')}`);
        const snap = store.snapshot();
        const ns = req.query.namespace;
        const limit = 20;
        const matches: Record<string, string[]> = {};
        const truncations: Record<string, boolean> = {};
        const add = (ctx: string, ids: string[]): void => {
          if (context !== 'all' && context !== ctx) return;
          matches[ctx] = ids.slice(0, limit);
          truncations[ctx] = ids.length > limit;
        };
        add('jobs', snap.jobs(ns, prefix).map((j) => j.ID));
        add('evals', snap.evals(ns).filter((e) => e.ID.startsWith(prefix)).map((e) => e.ID).sort());
        add('allocs', snap.allocs(ns).filter((a) => a.ID.startsWith(prefix)).map((a) => a.ID).sort());
        add('nodes', snap.nodes().filter((n) => n.ID.startsWith(prefix)).map((n) => n.ID));
        add('deployment', snap.deployments(ns).filter((d) => d.ID.startsWith(prefix)).map((d) => d.ID).sort());
        add('namespaces', 'default'.startsWith(prefix) ? ['default'] : []);
        return { body: { Matches: matches, Truncations: truncations, Index: snap.revision }, index: Math.max(1, snap.revision) };
      },
    },
  ];
}

function defaultNamespace(): Record<string, unknown> {
  return { Name: 'default', Description: 'Default shared namespace', Quota: '', Capabilities: null, NodePoolConfiguration: null, Meta: null, CreateIndex: 1, ModifyIndex: 1 };
}
