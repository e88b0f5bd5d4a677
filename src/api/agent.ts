// /v1/agent, /v1/status and /v1/regions.
import type { ApiClient, Response } from './client.js';
import type { AgentHealthResponse, AgentSelf, ServerMembers } from './types.js';

export class AgentApi {
  constructor(private readonly c: ApiClient) {}
  self(): Promise<Response<AgentSelf>> {
    return this.c.get<AgentSelf>('/v1/agent/self');
  }
  health(): Promise<Response<AgentHealthResponse>> {
    return this.c.get<AgentHealthResponse>('/v1/agent/health');
  }
  members(): Promise<Response<ServerMembers>> {
    return this.c.get<ServerMembers>('/v1/agent/members');
  }
}

export class StatusApi {
  constructor(private readonly c: ApiClient) {}
  leader(): Promise<Response<string>> {
    return this.c.get<string>('/v1/status/leader');
  }
  peers(): Promise<Response<string[]>> {
    return this.c.get<string[]>('/v1/status/peers');
  }
  regions(): Promise<Response<string[]>> {
    return this.c.get<string[]>('/v1/regions');
  }
}
