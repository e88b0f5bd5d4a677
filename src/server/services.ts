// The write side of Nomad's native service discovery (provider "nomad"): clients upsert and
// delete the registrations of their own allocations (Nomad's ServiceRegistration.Upsert /
// DeleteByID with AuthorizeSameNodeServiceRegistrations), and operators delete one by hand
// (`nomad service delete`). Reads live in the HTTP routes (blocking queries on the snapshot);
// `?choose=N|key` picks their subset here (Nomad's rendezvous choice, the one templates use).
import { keys } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { isClientTerminal } from '../structs/alloc.js';
import type { Node } from '../structs/node.js';
import type { ServiceRegistration } from '../structs/services.js';
import { chooseServices } from '../template/index.js';
import type { ServerContext } from './context.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { del, put } from './state-writer.js';

function nodeBySecret(snap: StateSnapshot, secretID: string): Node {
  if (!secretID) throw forbidden('Permission denied');
  const node = snap.nodes().find((n) => n.SecretID === secretID);
  if (!node) throw forbidden('Permission denied');
  return node;
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') throw badRequest(`service registration ${field} must be a string`);
  return v;
}

/** Checks the shape of one registration from a client and keeps only its stored fields. */
export function normalizeRegistration(raw: unknown): ServiceRegistration {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('service registration must be an object');
  const r = raw as Record<string, unknown>;
  const tags = r['Tags'];
  if (tags !== undefined && tags !== null && (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))) throw badRequest('service registration Tags must be a list of strings');
  const port = r['Port'] ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw badRequest('service registration Port must be an integer in [0, 65535]');
  const reg: ServiceRegistration = {
    ID: str(r['ID'], 'ID'),
    ServiceName: str(r['ServiceName'], 'ServiceName'),
    Namespace: str(r['Namespace'] ?? 'default', 'Namespace') || 'default',
    NodeID: str(r['NodeID'], 'NodeID'),
    Datacenter: str(r['Datacenter'] ?? '', 'Datacenter'),
    JobID: str(r['JobID'], 'JobID'),
    AllocID: str(r['AllocID'], 'AllocID'),
    Tags: (tags as string[] | null | undefined) ?? null,
    Address: str(r['Address'] ?? '', 'Address'),
    Port: port,
    CreateIndex: 0,
    ModifyIndex: 0,
  };
  if (reg.ID === '' || reg.ServiceName === '' || reg.AllocID === '') throw badRequest('service registration needs ID, ServiceName and AllocID');
  return reg;
}

const MALFORMED_CHOOSE = "Parameter for choose must be in form '<number>|<key>'";

/**
 * `GET /v1/service/:name?choose=<number>|<key>` (Nomad's ServiceRegistration.choose): the first
 * `number` registrations ordered by sha256 over each registration and `key` (rendezvous hashing),
 * so every requester with the same key gets the same stable subset. 400 on a malformed parameter.
 */
export function chooseRegistrations(regs: readonly ServiceRegistration[], param: string): ServiceRegistration[] {
  const bar = param.indexOf('|');
  const count = bar < 0 ? '' : param.slice(0, bar);
  const key = bar < 0 ? '' : param.slice(bar + 1);
  // Go's strconv.Atoi: an optional sign and decimal digits.
  if (!/^[+-]?\d+$/.test(count) || key === '') throw badRequest(`failed to choose services: ${MALFORMED_CHOOSE}`);
  const n = Number(count);
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest(`failed to choose services: ${MALFORMED_CHOOSE}`);
  return chooseServices(regs, n, key);
}

export class ServiceEndpoints {
  constructor(private readonly ctx: ServerContext) {}

  /**
   * A client's registrations, in one transaction. Every registration must name the caller's node
   * (403 otherwise) and an allocation of that node (403 for another node's); registrations of
   * allocations that are gone or client-terminal are skipped, as their services are already down.
   */
  async upsertFromClient(secretID: string, raw: unknown): Promise<{ Index: number }> {
    if (!Array.isArray(raw)) throw badRequest('Services must be a list of service registrations');
    const regs = raw.map(normalizeRegistration);
    const committed = await this.ctx.writer.txn((snap) => {
      const node = nodeBySecret(snap, secretID);
      const ops = [];
      for (const r of regs) {
        if (r.NodeID !== node.ID) throw forbidden(`Permission denied: registration ${r.ID} is for another node`);
        const alloc = snap.alloc(r.AllocID);
        if (alloc && alloc.NodeID !== node.ID) throw forbidden(`Permission denied: allocation ${r.AllocID} is not on this node`);
        if (!alloc || isClientTerminal(alloc.ClientStatus)) continue;
        const old = snap.serviceRegistration(r.Namespace, r.ID);
        // Unchanged registrations are not rewritten, so blocking readers do not wake up for nothing.
        if (old && JSON.stringify({ ...old, CreateIndex: 0, ModifyIndex: 0 }) === JSON.stringify(r)) continue;
        ops.push(put(keys.service(r.Namespace, r.ID), r));
      }
      return { ops, result: null };
    });
    return { Index: committed.revision };
  }

  /** A client's deregistrations by ID; IDs that are not this node's registrations are ignored. */
  async deleteFromClient(secretID: string, ids: string[]): Promise<{ Index: number }> {
    const want = new Set(ids);
    const committed = await this.ctx.writer.txn((snap) => {
      const node = nodeBySecret(snap, secretID);
      const ops = snap.servicesByNode(node.ID).filter((s) => want.has(s.ID)).map((s) => del(keys.service(s.Namespace, s.ID)));
      return { ops, result: null };
    });
    return { Index: committed.revision };
  }

  /** `DELETE /v1/service/:name/:id` (Nomad's ServiceRegistration.DeleteByID from an operator). */
  async deleteByID(namespace: string, name: string, id: string): Promise<{ Index: number }> {
    const committed = await this.ctx.writer.txn((snap) => {
      const s = snap.serviceRegistration(namespace, id);
      if (!s || s.ServiceName !== name) throw notFound('service registration not found');
      return { ops: [del(keys.service(s.Namespace, s.ID))], result: null };
    });
    return { Index: committed.revision };
  }
}
