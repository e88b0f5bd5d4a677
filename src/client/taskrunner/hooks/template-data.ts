// What templates read from the cluster, for the templates hook: the template engine asks
// synchronously (TemplateDataProvider), so this source answers from what it has fetched so far,
// remembers what it was asked for and did not have, and fetches exactly that on refresh() through
// the client's API (src/api). Nomad's consul-template does the same with its dependency watchers.
//
// - nomadService "x"  → GET /v1/service/x?namespace=<ns>; before the first render an empty list
//   counts as "not available yet", so the first render waits for the service to be registered, as
//   Nomad's does; once watched, an empty list is data (the service went away).
// - nomadServices     → GET /v1/services?namespace=<ns>.
// - nomadVar "p"    → GET /v1/var/p?namespace=<ns>; a 404 is cached as null ("does not exist"),
//   which the template functions handle.
// - nomadVarList "p" → GET /v1/vars?prefix=p&namespace=<ns> (metadata only).
//
// After the first render the template watcher (template-watch.ts) keeps each dependency a render
// used fresh: `fetch` with an index is a blocking query on the same endpoint, `store` hands the
// new data to the next render.
import { ApiError, variableUrl, type RoamApi } from '../../../api/index.js';
import type { ServiceRegistration } from '../../../structs/services.js';
import type { Variable, VariableMetadata } from '../../../structs/variable.js';
import type { QueryScope, ServiceStub, TemplateDataProvider } from '../../../template/index.js';

/** One thing a template reads from the cluster (one watch each, shared by the task's templates). */
export type TemplateDependency =
  | { kind: 'service'; name: string; scope: QueryScope }
  | { kind: 'services'; scope: QueryScope }
  | { kind: 'var'; path: string; scope: QueryScope }
  | { kind: 'vars'; prefix: string; scope: QueryScope };

/** What a dependency's endpoint answered. */
export type DependencyValue = readonly ServiceRegistration[] | readonly ServiceStub[] | Variable | null | readonly VariableMetadata[];

export interface FetchOptions {
  /** Blocking query: answer once the data's index passes this (0: at once). */
  index: number;
  /** Longest a blocking query may wait, in ms. */
  waitMs: number;
  signal?: AbortSignal;
}

export interface FetchResult {
  value: DependencyValue;
  /** The X-Nomad-Index of the answer (0 when the endpoint gave none). */
  index: number;
}

/** A provider for the template engine plus the means to fetch what the last render missed. */
export interface TemplateDataSource {
  readonly provider: TemplateDataProvider;
  /** Fetches what renders asked for but did not have; errors are the caller's to log (the next refresh retries). */
  refresh(signal?: AbortSignal): Promise<void>;
  /** The dependencies asked for since the last call (keyed by dependency), and forgets them. */
  takeUsed(): Map<string, TemplateDependency>;
  /** One query of a dependency's endpoint. */
  fetch(dep: TemplateDependency, opts: FetchOptions): Promise<FetchResult>;
  /** What renders see of `key` from now on. */
  store(key: string, dep: TemplateDependency, value: DependencyValue): void;
  /** What renders see of `key` now (undefined: nothing yet). */
  cached(key: string): DependencyValue | undefined;
}

interface ServicesListEntry {
  Namespace: string;
  Services: ServiceStub[] | null;
}

function scopeKey(scope: QueryScope): string {
  return `${scope.namespace}.${scope.region}`;
}

/** The cache key of a dependency (also its watch's identity). */
export function dependencyKey(dep: TemplateDependency): string {
  switch (dep.kind) {
    case 'service':
      return `service:${dep.name}@${scopeKey(dep.scope)}`;
    case 'services':
      return `services@${scopeKey(dep.scope)}`;
    case 'var':
      return `var:${dep.path}@${scopeKey(dep.scope)}`;
    case 'vars':
      return `vars:${dep.prefix}@${scopeKey(dep.scope)}`;
  }
}

/**
 * The cache and bookkeeping every source shares: the provider answers from `cache`, records each
 * dependency it is asked for in `used` and each one it lacks in `wanted`. Subclasses fetch.
 */
export abstract class CachingTemplateDataSource implements TemplateDataSource {
  protected readonly cache = new Map<string, DependencyValue>();
  protected readonly wanted = new Map<string, TemplateDependency>();
  private used = new Map<string, TemplateDependency>();
  readonly provider: TemplateDataProvider;

  constructor() {
    const ask = (dep: TemplateDependency): DependencyValue | undefined => {
      const key = dependencyKey(dep);
      this.used.set(key, dep);
      const hit = this.cache.get(key);
      if (hit === undefined) this.wanted.set(key, dep);
      return hit;
    };
    this.provider = {
      service: (name, scope) => ask({ kind: 'service', name, scope }) as readonly ServiceRegistration[] | undefined,
      services: (scope) => ask({ kind: 'services', scope }) as readonly ServiceStub[] | undefined,
      variable: (path, scope) => ask({ kind: 'var', path, scope }) as Variable | null | undefined,
      variableList: (prefix, scope) => ask({ kind: 'vars', prefix, scope }) as readonly VariableMetadata[] | undefined,
    };
  }

  abstract fetch(dep: TemplateDependency, opts: FetchOptions): Promise<FetchResult>;

  takeUsed(): Map<string, TemplateDependency> {
    const u = this.used;
    this.used = new Map();
    return u;
  }

  store(key: string, _dep: TemplateDependency, value: DependencyValue): void {
    this.cache.set(key, value);
    this.wanted.delete(key);
  }

  cached(key: string): DependencyValue | undefined {
    return this.cache.get(key);
  }

  /**
   * The first render's fetch: each wanted dependency once, without blocking. Data that cannot
   * unblock a first render stays wanted (an empty service list, a variable that does not exist,
   * an empty variable list, which blocks the "safe" variant) and is asked for again next time.
   */
  async refresh(signal?: AbortSignal): Promise<void> {
    const errors: string[] = [];
    for (const [key, dep] of [...this.wanted]) {
      if (signal?.aborted) return;
      try {
        const { value } = await this.fetch(dep, { index: 0, waitMs: 0, ...(signal ? { signal } : {}) });
        this.cache.set(key, value);
        const final = dep.kind === 'services' || (Array.isArray(value) ? value.length > 0 : value !== null);
        if (final) this.wanted.delete(key);
        else if (dep.kind === 'service') this.cache.delete(key);
      } catch (err) {
        if (signal?.aborted) return;
        errors.push(`${key}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (errors.length) throw new Error(`fetching template data failed: ${errors.join('; ')}`);
  }
}

/** The API-backed source: `api()` is the client's current server (null while it has none). */
export class ApiTemplateDataSource extends CachingTemplateDataSource {
  constructor(private readonly api: () => RoamApi | null | undefined) {
    super();
  }

  async fetch(dep: TemplateDependency, opts: FetchOptions): Promise<FetchResult> {
    const api = this.api();
    if (!api) throw new Error('no server to ask yet');
    const q = {
      namespace: dep.scope.namespace,
      ...(dep.scope.region ? { region: dep.scope.region } : {}),
      ...(opts.index > 0 ? { index: opts.index, wait: opts.waitMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    switch (dep.kind) {
      case 'service': {
        const res = await api.services.info(dep.name, q);
        return { value: res.data ?? [], index: res.meta.lastIndex };
      }
      case 'services': {
        const res = await api.http.get<ServicesListEntry[] | null>('/v1/services', q);
        const entry = (res.data ?? []).find((e) => e.Namespace === dep.scope.namespace);
        return { value: entry?.Services ?? [], index: res.meta.lastIndex };
      }
      case 'var': {
        // A 404 carries the variables table's index (as Nomad's does), so a blocking query can wait for the variable to appear.
        try {
          const res = await api.http.get<Variable>(variableUrl(dep.path), q);
          return { value: res.data, index: res.meta.lastIndex };
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) return { value: null, index: err.index };
          throw err;
        }
      }
      case 'vars': {
        const res = await api.variables.list({ ...q, prefix: dep.prefix });
        return { value: res.data ?? [], index: res.meta.lastIndex };
      }
    }
  }
}
