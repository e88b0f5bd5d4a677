// The routes a client agent uses to talk to its servers (/v1/internal/*): registration,
// heartbeats, the allocations of its node, and status updates. Authenticated with the node secret.
import type { Allocation } from '../structs/alloc.js';
import type { Node, NodeStatus } from '../structs/node.js';
import type { ServiceRegistration } from '../structs/services.js';
import type { ApiClient, QueryOptions, Response } from './client.js';

export interface NodeRegisterResponse {
  HeartbeatTTL: number;
  EvalIDs: string[];
  NodeModifyIndex: number;
  Index: number;
  NumNodes: number;
}

export interface NodeStatusResponse {
  HeartbeatTTL: number;
  EvalIDs: string[];
  Index: number;
}

export interface ClientAllocUpdate {
  ID: string;
  ClientStatus: string;
  ClientDescription?: string;
  TaskStates?: Allocation['TaskStates'];
  DeploymentStatus?: Allocation['DeploymentStatus'];
  NetworkStatus?: Allocation['NetworkStatus'];
}

export class InternalApi {
  constructor(private readonly c: ApiClient) {}
  registerNode(node: Node): Promise<Response<NodeRegisterResponse>> {
    return this.c.put<NodeRegisterResponse>('/v1/internal/node/register', { Node: node });
  }
  updateStatus(nodeID: string, status: NodeStatus): Promise<Response<NodeStatusResponse>> {
    return this.c.put<NodeStatusResponse>(`/v1/internal/node/${encodeURIComponent(nodeID)}/status`, { Status: status });
  }
  /** {allocID: AllocModifyIndex} for the node; blocking with opts.index. */
  nodeAllocations(nodeID: string, opts: QueryOptions = {}): Promise<Response<{ Allocs: Record<string, number>; Index: number }>> {
    return this.c.get(`/v1/internal/node/${encodeURIComponent(nodeID)}/allocations`, opts);
  }
  getAllocations(ids: string[]): Promise<Response<{ Allocs: Allocation[]; Index: number }>> {
    return this.c.put('/v1/internal/allocations', { AllocIDs: ids });
  }
  updateAllocations(nodeID: string, updates: ClientAllocUpdate[]): Promise<Response<{ Index: number }>> {
    return this.c.put(`/v1/internal/node/${encodeURIComponent(nodeID)}/allocations`, { Alloc: updates });
  }
  /** Upserts this node's Nomad-provider service registrations (Nomad's ServiceRegistration.Upsert). */
  upsertServices(services: ServiceRegistration[]): Promise<Response<{ Index: number }>> {
    return this.c.put('/v1/internal/services', { Services: services });
  }
  /** Removes this node's registrations by ID (Nomad's ServiceRegistration.DeleteByID from a client). */
  deleteServices(ids: string[]): Promise<Response<{ Index: number }>> {
    return this.c.json('DELETE', '/v1/internal/services', { IDs: ids });
  }
}
