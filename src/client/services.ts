// Client side of Nomad's native service discovery (client/serviceregistration/nsd): builds the
// registrations of a group's or a task's `service` blocks with provider "nomad" and sends them to
// the servers through the API (PUT / DELETE /v1/internal/services, node-authenticated). Consul
// services are not registered (Roam has no Consul integration); they are logged once at debug.
// Registering a workload also hands its checks with check_restart to the check watcher, and
// deregistering takes them off it, as Nomad's nsd handler does.
import type { RoamApi } from '../api/index.js';
import type { Allocation } from '../structs/alloc.js';
import type { Logger } from '../structs/logger.js';
import type { Node } from '../structs/node.js';
import { nomadCheckID } from '../structs/checks.js';
import { serviceRegistrationID, type Service, type ServiceCheck, type ServiceRegistration } from '../structs/services.js';
import { errorMessage, sleep } from './async.js';
import type { CheckWatcher, WorkloadRestarter } from './checks/watcher.js';
import { nodeVariables, portEnv, replaceEnv } from './taskenv.js';

/** How service hooks reach the servers and learn about their node. */
export interface ServiceRegistrar {
  node(): Node;
  readonly region: string;
  register(regs: ServiceRegistration[], signal?: AbortSignal): Promise<void>;
  deregister(ids: string[]): Promise<void>;
  /** Logs, once per (alloc, owner), that Consul services are not registered. */
  consulSkipped(alloc: Allocation, owner: string, logger: Logger): void;
  /**
   * Watches the checks with check_restart of a workload's (interpolated) services: `task` names
   * the task to restart, or none for a group workload (every running task of the allocation).
   * Watching again starts the grace period over.
   */
  watchChecks(alloc: Allocation, workload: string, task: string | undefined, services: readonly Service[]): void;
  /** Stops watching the checks of these services. */
  unwatchChecks(alloc: Allocation, services: readonly Service[]): void;
}

/** Finds what a check restart acts on: the task runner of `task`, or the alloc runner for group services. */
export type RestarterLookup = (allocID: string, task: string | undefined) => WorkloadRestarter | undefined;

/** The check watcher the registrar feeds, and how it finds the workload to restart. */
export interface RegistrarChecks {
  watcher: CheckWatcher;
  restarter: RestarterLookup;
}

/** The Nomad-provider services of a list; "consul" (Nomad's default provider) ones are not ours. */
export function nomadServices(services: readonly Service[] | null | undefined): { nomad: Service[]; consul: Service[] } {
  const nomad: Service[] = [];
  const consul: Service[] = [];
  for (const s of services ?? []) (s.Provider === 'nomad' ? nomad : consul).push(s);
  return { nomad, consul };
}

/** `${…}` for group services: alloc-level NOMAD_* variables, the ports, and the node's variables. */
export function groupEnv(alloc: Allocation, node: Node, region: string): (s: string) => string {
  const env: Record<string, string> = { NOMAD_ALLOC_ID: alloc.ID, NOMAD_ALLOC_NAME: alloc.Name, NOMAD_GROUP_NAME: alloc.TaskGroup, NOMAD_NAMESPACE: alloc.Namespace, NOMAD_JOB_ID: alloc.JobID, NOMAD_JOB_NAME: alloc.Job?.Name ?? alloc.JobID, NOMAD_DC: node.Datacenter, ...portEnv(alloc.AllocatedResources?.Shared.Ports ?? []) };
  const nodeVars = nodeVariables(node, region);
  return (s) => replaceEnv(s, env, nodeVars);
}

/** An interpolated copy of a service and its checks (Nomad's taskenv.InterpolateService, the fields Roam uses). */
export function interpolateService(s: Service, f: (s: string) => string): Service {
  const headers = (h: ServiceCheck['Header']): ServiceCheck['Header'] => (h === null ? null : Object.fromEntries(Object.entries(h).map(([k, vs]) => [f(k), vs === null ? vs : vs.map(f)])));
  const checks = s.Checks?.map((c) => ({ ...c, Name: f(c.Name), Type: f(c.Type), Command: f(c.Command), Args: c.Args?.map(f) ?? null, Path: f(c.Path), Protocol: f(c.Protocol), PortLabel: f(c.PortLabel), InitialStatus: f(c.InitialStatus), Notes: f(c.Notes), Method: f(c.Method), GRPCService: f(c.GRPCService), Header: headers(c.Header) }));
  const map = (m: Record<string, string> | null): Record<string, string> | null => (m === null ? null : Object.fromEntries(Object.entries(m).map(([k, v]) => [f(k), f(v)])));
  return { ...s, Name: f(s.Name), PortLabel: f(s.PortLabel), Address: f(s.Address), Tags: s.Tags?.map(f) ?? null, CanaryTags: s.CanaryTags?.map(f) ?? null, Meta: map(s.Meta), CanaryMeta: map(s.CanaryMeta), TaggedAddresses: map(s.TaggedAddresses), Checks: checks ?? null };
}

/**
 * The registrations of `services` owned by `owner` ("group-<group>" or the task name), with
 * Nomad's host-mode address: the HostIP and mapped host port (Value) of the service's port label,
 * or the node's IP and port 0 when the service names no port.
 */
export function buildRegistrations(alloc: Allocation, node: Node, owner: string, services: readonly Service[], interpolate: (s: string) => string): ServiceRegistration[] {
  const ports = alloc.AllocatedResources?.Shared.Ports ?? [];
  const nodeIP = node.Attributes['unique.network.ip-address'] ?? '';
  return services.map((s) => {
    const name = interpolate(s.Name);
    const mapping = s.PortLabel ? ports.find((p) => p.Label === s.PortLabel) : undefined;
    // A numeric port label is a literal port on the node's address.
    const literal = !mapping && /^\d+$/.test(s.PortLabel) ? Number(s.PortLabel) : 0;
    const address = s.Address ? interpolate(s.Address) : mapping?.HostIP || nodeIP;
    return {
      ID: serviceRegistrationID(alloc.ID, owner, name, s.PortLabel),
      ServiceName: name,
      Namespace: alloc.Namespace || 'default',
      NodeID: node.ID,
      Datacenter: node.Datacenter,
      JobID: alloc.JobID,
      AllocID: alloc.ID,
      Tags: s.Tags ? s.Tags.map(interpolate) : null,
      Address: address,
      Port: mapping?.Value ?? literal,
      CreateIndex: 0,
      ModifyIndex: 0,
    };
  });
}

const REGISTER_ATTEMPTS = 5;
const RETRY_MS = 1_000;

/** The client's registrar: calls the current server's API with the node secret, retrying briefly. */
export class ApiServiceRegistrar implements ServiceRegistrar {
  private readonly consulLogged = new Set<string>();

  constructor(
    private readonly api: () => RoamApi | null | undefined,
    readonly node: () => Node,
    readonly region: string,
    private readonly logger: Logger,
    private readonly checks?: RegistrarChecks,
  ) {}

  watchChecks(alloc: Allocation, workload: string, task: string | undefined, services: readonly Service[]): void {
    const checks = this.checks;
    if (!checks) return;
    // Resolved when the restart happens, so a restarted or replaced runner is the one restarted.
    const restarter: WorkloadRestarter = {
      restart: (reason, failure) => checks.restarter(alloc.ID, task)?.restart(reason, failure) ?? Promise.reject(new Error(`allocation ${alloc.ID} is not running on this node`)),
    };
    for (const s of services) for (const c of s.Checks ?? []) checks.watcher.watch(alloc.ID, workload, nomadCheckID(alloc.ID, alloc.TaskGroup, c), c, restarter);
  }

  unwatchChecks(alloc: Allocation, services: readonly Service[]): void {
    const checks = this.checks;
    if (!checks) return;
    for (const s of services) for (const c of s.Checks ?? []) checks.watcher.unwatch(nomadCheckID(alloc.ID, alloc.TaskGroup, c));
  }

  async register(regs: ServiceRegistration[], signal?: AbortSignal): Promise<void> {
    if (regs.length === 0) return;
    await this.attempt('register', signal, REGISTER_ATTEMPTS, async (api) => void (await api.internal.upsertServices(regs)));
  }

  async deregister(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.attempt('deregister', undefined, 2, async (api) => void (await api.internal.deleteServices(ids)));
  }

  consulSkipped(alloc: Allocation, owner: string, logger: Logger): void {
    const k = `${alloc.ID}/${owner}`;
    if (this.consulLogged.has(k)) return;
    this.consulLogged.add(k);
    logger.debug('services with provider "consul" are not registered (no Consul integration)', { alloc_id: alloc.ID, owner });
  }

  private async attempt(what: string, signal: AbortSignal | undefined, attempts: number, fn: (api: RoamApi) => Promise<void>): Promise<void> {
    let last = 'no server';
    for (let i = 0; i < attempts; i++) {
      const api = this.api();
      if (api) {
        try {
          await fn(api);
          return;
        } catch (err) {
          last = errorMessage(err);
        }
      }
      if (i < attempts - 1 && (await sleep(RETRY_MS, signal)) !== 'timeout') break;
    }
    this.logger.warn(`failed to ${what} services`, { error: last });
  }
}
