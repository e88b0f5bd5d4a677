// What templates read from the cluster, for the templates hook: the template engine asks
// synchronously (TemplateDataProvider), so this source answers from what it has fetched so far,
// remembers what it was asked for and did not have, and fetches exactly that on refresh() through
// the client's API (src/api). Nomad's consul-template does the same with its dependency watchers.
//
// - nomadService "x"  → GET /v1/service/x?namespace=<ns>; an empty list counts as "not available
//   yet", so the first render waits for the service to be registered, as Nomad's does.
// - nomadServices     → GET /v1/services?namespace=<ns>.
// - nomadVar "p"    → GET /v1/var/p?namespace=<ns>; a 404 is cached as null ("does not exist"),
//   which the template functions handle.
// - nomadVarList "p" → GET /v1/vars?prefix=p&namespace=<ns> (metadata only).
import type { RoamApi } from '../../../api/index.js';
import type { ServiceRegistration } from '../../../structs/services.js';
import type { Variable, VariableMetadata } from '../../../structs/variable.js';
import type { QueryScope, ServiceStub, TemplateDataProvider } from '../../../template/index.js';

/** A provider for the template engine plus the means to fetch what the last render missed. */
export interface TemplateDataSource {
  readonly provider: TemplateDataProvider;
  /** Fetches what renders asked for but did not have; errors are the caller's to log (the next refresh retries). */
  refresh(signal?: AbortSignal): Promise<void>;
}

interface ServicesListEntry {
  Namespace: string;
  Services: ServiceStub[] | null;
}

type Request = { kind: 'service'; name: string; scope: QueryScope } | { kind: 'services'; scope: QueryScope } | { kind: 'var'; path: string; scope: QueryScope } | { kind: 'vars'; prefix: string; scope: QueryScope };

function scopeKey(scope: QueryScope): string {
  return `${scope.namespace}.${scope.region}`;
}

/** The API-backed source: `api()` is the client's current server (null while it has none). */
export class ApiTemplateDataSource implements TemplateDataSource {
  private readonly serviceCache = new Map<string, readonly ServiceRegistration[]>();
  private readonly servicesCache = new Map<string, readonly ServiceStub[]>();
  private readonly varCache = new Map<string, Variable | null>();
  private readonly varsCache = new Map<string, readonly VariableMetadata[]>();
  private readonly wanted = new Map<string, Request>();
  readonly provider: TemplateDataProvider;

  constructor(private readonly api: () => RoamApi | null | undefined) {
    this.provider = {
      service: (name, scope) => {
        const key = `service:${name}@${scopeKey(scope)}`;
        const hit = this.serviceCache.get(key);
        if (hit === undefined) this.wanted.set(key, { kind: 'service', name, scope });
        return hit;
      },
      services: (scope) => {
        const key = `services@${scopeKey(scope)}`;
        const hit = this.servicesCache.get(key);
        if (hit === undefined) this.wanted.set(key, { kind: 'services', scope });
        return hit;
      },
      variable: (path, scope) => {
        const key = `var:${path}@${scopeKey(scope)}`;
        const hit = this.varCache.get(key);
        if (hit === undefined) this.wanted.set(key, { kind: 'var', path, scope });
        return hit;
      },
      variableList: (prefix, scope) => {
        const key = `vars:${prefix}@${scopeKey(scope)}`;
        const hit = this.varsCache.get(key);
        if (hit === undefined) this.wanted.set(key, { kind: 'vars', prefix, scope });
        return hit;
      },
    };
  }

  async refresh(signal?: AbortSignal): Promise<void> {
    const api = this.api();
    if (!api) return;
    const errors: string[] = [];
    for (const [key, req] of [...this.wanted]) {
      if (signal?.aborted) return;
      const opts = { namespace: req.scope.namespace, ...(req.scope.region ? { region: req.scope.region } : {}), ...(signal ? { signal } : {}) };
      try {
        if (req.kind === 'service') {
          const res = await api.http.get<ServiceRegistration[] | null>(`/v1/service/${encodeURIComponent(req.name)}`, opts);
          const regs = res.data ?? [];
          if (regs.length > 0) {
            this.serviceCache.set(key, regs);
            this.wanted.delete(key);
          }
        } else if (req.kind === 'var') {
          // A missing variable is cached as null (nomadVarExists answers false) but stays wanted:
          // nomadVar blocks on it, so each refresh asks again until it exists.
          const res = await api.variables.peek(req.path, opts);
          this.varCache.set(key, res.data);
          if (res.data !== null) this.wanted.delete(key);
        } else if (req.kind === 'vars') {
          const res = await api.variables.list({ ...opts, prefix: req.prefix });
          const list = res.data ?? [];
          this.varsCache.set(key, list);
          // An empty list may block a render (the "safe" variant), so it is asked for again.
          if (list.length > 0) this.wanted.delete(key);
        } else {
          const res = await api.http.get<ServicesListEntry[] | null>('/v1/services', opts);
          const entry = (res.data ?? []).find((e) => e.Namespace === req.scope.namespace);
          this.servicesCache.set(key, entry?.Services ?? []);
          this.wanted.delete(key);
        }
      } catch (err) {
        errors.push(`${key}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (errors.length) throw new Error(`fetching template data failed: ${errors.join('; ')}`);
  }
}
