// /v1/services and /v1/service/:name: the read side of Nomad's native service discovery
// (provider "nomad"), as the `nomadServices` / `nomadService` template functions and
// `nomad service list|info` read it. Both are blocking queries on the services table;
// /v1/service/:name takes `?choose=<number>|<key>` (rendezvous choice, src/server/services.ts).
import type { Server } from '../../server/server.js';
import { blockingQuery } from '../../server/blocking.js';
import { listPage } from '../../server/list.js';
import { chooseRegistrations } from '../../server/services.js';
import type { ServiceRegistration } from '../../structs/services.js';
import type { Route } from '../route.js';
import { blockingOpts, listOptions, listReply, stringParam } from './util.js';

interface ServiceStub {
  ServiceName: string;
  Tags: string[];
}

interface NamespacedServices {
  Namespace: string;
  Services: ServiceStub[];
}

/** Groups registrations per namespace and service name, with the union of their tags (Nomad's ServiceRegistrationListStub). */
export function serviceListStubs(regs: readonly ServiceRegistration[]): NamespacedServices[] {
  const byNs = new Map<string, Map<string, Set<string>>>();
  for (const r of regs) {
    let names = byNs.get(r.Namespace);
    if (!names) byNs.set(r.Namespace, (names = new Map()));
    let tags = names.get(r.ServiceName);
    if (!tags) names.set(r.ServiceName, (tags = new Set()));
    for (const t of r.Tags ?? []) tags.add(t);
  }
  return [...byNs.keys()].sort().map((ns) => {
    const names = byNs.get(ns) ?? new Map<string, Set<string>>();
    return { Namespace: ns, Services: [...names.keys()].sort().map((name) => ({ ServiceName: name, Tags: [...(names.get(name) ?? [])].sort() })) };
  });
}

export function serviceRoutes(server: Server): Route[] {
  const store = server.store;
  return [
    {
      methods: ['GET'],
      path: '/v1/services',
      handler: async (req) => {
        // namespace=* lists every namespace, as Nomad's does.
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: serviceListStubs(snap.services(req.query.namespace)), index: snap.index('services') }));
        const page = listPage(r.value, listOptions(req), (e) => e.Namespace);
        return listReply(page.items, r.index, page.nextToken);
      },
    },
    {
      methods: ['GET'],
      path: '/v1/service/:name',
      handler: async (req) => {
        const name = req.params['name'] ?? '';
        const choose = stringParam(req, 'choose');
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: snap.servicesByName(req.query.namespace, name), index: snap.index('services') }));
        const page = listPage(r.value, listOptions(req), (s) => s.ID);
        // Nomad chooses among the page it read.
        return listReply(choose ? chooseRegistrations(page.items, choose) : page.items, r.index, page.nextToken);
      },
    },
    {
      methods: ['DELETE'],
      path: '/v1/service/:name/:id',
      handler: async (req) => {
        const ns = req.query.namespace && req.query.namespace !== '*' ? req.query.namespace : 'default';
        const r = await server.services.deleteByID(ns, req.params['name'] ?? '', req.params['id'] ?? '');
        return { body: null, index: r.Index };
      },
    },
  ];
}
