// /v1/evaluations, /v1/allocations, /v1/nodes, /v1/system, /v1/search.
import type { AllocListStub, Allocation } from '../structs/alloc.js';
import type { Evaluation } from '../structs/eval.js';
import type { Node, NodeListStub } from '../structs/node.js';
import type { ServiceRegistration } from '../structs/services.js';
import type { ApiClient, QueryOptions, Response } from './client.js';

const enc = (id: string): string => encodeURIComponent(id);

export class EvaluationsApi {
  constructor(private readonly c: ApiClient) {}
  list(opts: QueryOptions = {}): Promise<Response<Evaluation[]>> {
    return this.c.get<Evaluation[]>('/v1/evaluations', opts);
  }
  info(id: string, opts: QueryOptions = {}): Promise<Response<Evaluation & { RelatedEvals?: Evaluation[] }>> {
    return this.c.get(`/v1/evaluation/${enc(id)}`, opts);
  }
  allocations(id: string, opts: QueryOptions = {}): Promise<Response<AllocListStub[]>> {
    return this.c.get<AllocListStub[]>(`/v1/evaluation/${enc(id)}/allocations`, opts);
  }
}

export class AllocationsApi {
  constructor(private readonly c: ApiClient) {}
  list(opts: QueryOptions = {}): Promise<Response<AllocListStub[]>> {
    return this.c.get<AllocListStub[]>('/v1/allocations', opts);
  }
  info(id: string, opts: QueryOptions = {}): Promise<Response<Allocation>> {
    return this.c.get<Allocation>(`/v1/allocation/${enc(id)}`, opts);
  }
  stop(id: string, noShutdownDelay = false): Promise<Response<{ EvalID: string; Index: number }>> {
    return this.c.post(`/v1/allocation/${enc(id)}/stop`, undefined, noShutdownDelay ? { params: { no_shutdown_delay: 'true' } } : {});
  }
  services(id: string, opts: QueryOptions = {}): Promise<Response<ServiceRegistration[]>> {
    return this.c.get<ServiceRegistration[]>(`/v1/allocation/${enc(id)}/services`, opts);
  }
}

export class NodesApi {
  constructor(private readonly c: ApiClient) {}
  list(opts: QueryOptions = {}): Promise<Response<NodeListStub[]>> {
    return this.c.get<NodeListStub[]>('/v1/nodes', opts);
  }
  info(id: string, opts: QueryOptions = {}): Promise<Response<Node>> {
    return this.c.get<Node>(`/v1/node/${enc(id)}`, opts);
  }
  allocations(id: string, opts: QueryOptions = {}): Promise<Response<Allocation[]>> {
    return this.c.get<Allocation[]>(`/v1/node/${enc(id)}/allocations`, opts);
  }
  eligibility(id: string, eligible: boolean): Promise<Response<{ EvalIDs: string[]; Index: number }>> {
    return this.c.post(`/v1/node/${enc(id)}/eligibility`, { NodeID: id, Eligibility: eligible ? 'eligible' : 'ineligible' });
  }
  evaluate(id: string): Promise<Response<{ EvalIDs: string[]; Index: number }>> {
    return this.c.post(`/v1/node/${enc(id)}/evaluate`, undefined);
  }
}

export interface SearchResponse {
  Matches: Record<string, string[]>;
  Truncations: Record<string, boolean>;
}

export class SystemApi {
  constructor(private readonly c: ApiClient) {}
  gc(): Promise<Response<null>> {
    return this.c.put<null>('/v1/system/gc');
  }
  search(prefix: string, context = 'all', opts: QueryOptions = {}): Promise<Response<SearchResponse>> {
    return this.c.put<SearchResponse>('/v1/search', { Prefix: prefix, Context: context }, opts);
  }
}
