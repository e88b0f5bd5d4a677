// The node this client registers: its identity (an ID and secret generated once and kept in
// <state_dir>/client-id and secret-id, as Nomad does) and the Node object built from the agent
// configuration and the fingerprints.
import fs from 'node:fs';
import path from 'node:path';
import { generateUUID } from '../structs/ids.js';
import type { DriverInfo, Node } from '../structs/node.js';
import type { HostFingerprint } from './fingerprint/index.js';

export interface NodeIdentity {
  id: string;
  secret: string;
}

function readOrCreate(file: string): string {
  try {
    const v = fs.readFileSync(file, 'utf8').trim();
    if (v) return v;
  } catch {
    // first start
  }
  const id = generateUUID();
  fs.writeFileSync(file, id, { mode: 0o600 });
  return id;
}

/** The node's ID and secret, created on first start and reused ever after. */
export function ensureNodeIdentity(stateDir: string): NodeIdentity {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  return { id: readOrCreate(path.join(stateDir, 'client-id')), secret: readOrCreate(path.join(stateDir, 'secret-id')) };
}

export interface NodeSettings {
  name: string;
  datacenter: string;
  nodeClass: string;
  nodePool: string;
  meta: Record<string, string>;
  httpAddr: string;
}

export function buildNode(identity: NodeIdentity, s: NodeSettings, host: HostFingerprint, drivers: { drivers: Record<string, DriverInfo>; attributes: Record<string, string> }): Node {
  return {
    ID: identity.id,
    SecretID: identity.secret,
    Datacenter: s.datacenter || 'dc1',
    Name: s.name,
    HTTPAddr: s.httpAddr,
    TLSEnabled: false,
    Attributes: { ...host.attributes, ...drivers.attributes },
    NodeResources: host.resources,
    ReservedResources: { Cpu: { CpuShares: 0, ReservedCpuCores: null }, Memory: { MemoryMB: 0 }, Disk: { DiskMB: 0 }, Networks: { ReservedHostPorts: '' } },
    Links: null,
    Meta: { ...s.meta },
    NodeClass: s.nodeClass,
    NodePool: s.nodePool || 'default',
    CgroupParent: '',
    ComputedClass: '',
    DrainStrategy: null,
    SchedulingEligibility: 'eligible',
    Status: 'initializing',
    StatusDescription: '',
    StatusUpdatedAt: 0,
    Events: null,
    Drivers: drivers.drivers,
    HostVolumes: null,
    HostNetworks: null,
    LastDrain: null,
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}
