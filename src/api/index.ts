// src/api: the typed client for the /v1 API. `new RoamApi(config)` gives one object with a
// sub-client per resource; everything outside the servers reaches the cluster through it.
import { AgentApi, StatusApi } from './agent.js';
import { ApiClient, type ClientConfig } from './client.js';
import { ClientFsApi } from './client-fs.js';
import { AllocationsApi, EvaluationsApi, NodesApi, SystemApi } from './cluster.js';
import { InternalApi } from './internal.js';
import { JobsApi } from './jobs.js';
import { ServicesApi } from './services.js';
import { VariablesApi } from './variables.js';

export * from './client.js';
export * from './types.js';
export { AgentApi, StatusApi } from './agent.js';
export * from './jobs.js';
export * from './cluster.js';
export * from './internal.js';
export * from './client-fs.js';
export * from './services.js';
export * from './variables.js';
export * from './locks.js';

export class RoamApi {
  readonly http: ApiClient;
  readonly agent: AgentApi;
  readonly status: StatusApi;
  readonly jobs: JobsApi;
  readonly evaluations: EvaluationsApi;
  readonly allocations: AllocationsApi;
  readonly nodes: NodesApi;
  readonly system: SystemApi;
  readonly internal: InternalApi;
  readonly services: ServicesApi;
  readonly variables: VariablesApi;
  /** The client agents' /v1/client/* API (logs, files, stats, restart, signal, exec). */
  readonly clientFs: ClientFsApi;
  constructor(config: ClientConfig | ApiClient) {
    this.http = config instanceof ApiClient ? config : new ApiClient(config);
    this.agent = new AgentApi(this.http);
    this.status = new StatusApi(this.http);
    this.jobs = new JobsApi(this.http);
    this.evaluations = new EvaluationsApi(this.http);
    this.allocations = new AllocationsApi(this.http);
    this.nodes = new NodesApi(this.http);
    this.system = new SystemApi(this.http);
    this.internal = new InternalApi(this.http);
    this.services = new ServicesApi(this.http);
    this.variables = new VariablesApi(this.http);
    this.clientFs = new ClientFsApi(this.http);
  }
}
