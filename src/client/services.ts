// Client side of Nomad's native service discovery (client/serviceregistration/nsd): builds the
// registrations of a group's or a task's `service` blocks with provider "nomad" and sends them to
// the servers through the API (PUT / DELETE /v1/internal/services, node-authenticated). Consul
// services are not registered (Roam has no Consul integration); they are logged once at debug.
import type { RoamApi } from '../api/index.js';
import type { Allocation } from '../structs/alloc.js';
import type { Logger } from '../structs/logger.js';
import type { Node } from '../structs/node.js';
import { serviceRegistrationID, type Service, type ServiceRegistration } from '../structs/services.js';
import { errorMessage, sleep } from './async.js';
import { nodeVariables, portEnv, replaceEnv } from './taskenv.js';

/** How service hooks reach the servers and learn about their node. */
export interface ServiceRegistrar {
  node(): Node;
  readonly region: string;
  register(regs: ServiceRegistration[], signal?: AbortSignal): Promise<void>;
  deregister(ids: string[]): Promise<void>;
  /** Logs, once per (alloc, owner), that Consul services are not registered. */
  consulSkipped(alloc: Allocation, owner: string, logger: Logger): void;
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
  ) {}

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
