// What the Nomad template functions read, handed in by the caller (the client's template hook
// backs it with the agent API). Every method answers synchronously from what the caller has
// fetched so far: `undefined` means "not fetched yet", which the functions record as a missing
// dependency so the caller can hold the first render (Nomad's "Missing: nomad.service(x)").
import type { ServiceRegistration } from '../../structs/services.js';
import type { Variable, VariableMetadata } from '../../structs/variable.js';

export interface QueryScope {
  /** The job's namespace unless the template names one. */
  namespace: string;
  /** Empty: the agent's region. */
  region: string;
}

/** One entry of GET /v1/services for the scope's namespace. */
export interface ServiceStub {
  ServiceName: string;
  Tags: readonly string[] | null;
}

export interface TemplateDataProvider {
  /** GET /v1/service/:name — every registration of one service, in the API's order. */
  service(name: string, scope: QueryScope): readonly ServiceRegistration[] | undefined;
  /** GET /v1/services — the services of the namespace. */
  services(scope: QueryScope): readonly ServiceStub[] | undefined;
  /** GET /v1/var/:path — null when the variable does not exist. */
  variable(path: string, scope: QueryScope): Variable | null | undefined;
  /** GET /v1/vars?prefix= — metadata of the variables under a prefix. */
  variableList(prefix: string, scope: QueryScope): readonly VariableMetadata[] | undefined;
}

/** A provider with nothing: every query is "not available yet". */
export const EMPTY_PROVIDER: TemplateDataProvider = {
  service: () => undefined,
  services: () => undefined,
  variable: () => undefined,
  variableList: () => undefined,
};
