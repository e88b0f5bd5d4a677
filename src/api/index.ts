// src/api: the typed client for the /v1 API. `roamApi(config)` gives one object with a sub-client
// per resource; everything outside the servers reaches the cluster through it.
import { AgentApi, StatusApi } from './agent.js';
import { ApiClient, type ClientConfig } from './client.js';
import { JobsApi } from './jobs.js';

export * from './client.js';
export * from './types.js';
export { AgentApi, StatusApi } from './agent.js';
export { JobsApi } from './jobs.js';

export class RoamApi {
  readonly http: ApiClient;
  readonly agent: AgentApi;
  readonly status: StatusApi;
  readonly jobs: JobsApi;
  constructor(config: ClientConfig | ApiClient) {
    this.http = config instanceof ApiClient ? config : new ApiClient(config);
    this.agent = new AgentApi(this.http);
    this.status = new StatusApi(this.http);
    this.jobs = new JobsApi(this.http);
  }
}
