// Client nodes as the server knows them: identity, attributes, resources, drivers, status and
// scheduling eligibility, in Nomad's JSON shape.
import type { NodeReservedResources, NodeResources } from './resources.js';
import type { GoTime } from './time.js';

export const NODE_STATUSES = ['initializing', 'ready', 'down', 'disconnected'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];
export const NODE_ELIGIBILITIES = ['eligible', 'ineligible'] as const;
export type NodeEligibility = (typeof NODE_ELIGIBILITIES)[number];

export interface DriverInfo {
  Attributes: Record<string, string> | null;
  Detected: boolean;
  Healthy: boolean;
  HealthDescription: string;
  UpdateTime: GoTime;
}

export interface NodeEvent {
  Message: string;
  Subsystem: string;
  Details: Record<string, string> | null;
  Timestamp: GoTime;
  CreateIndex: number;
}

export const MAX_NODE_EVENTS = 10;

export interface DrainSpec {
  Deadline: number; // ns; < 0 force, 0 no deadline
  IgnoreSystemJobs: boolean;
}

export interface DrainStrategy {
  DrainSpec: DrainSpec;
  ForceDeadline: GoTime;
  StartedAt: GoTime;
}

export interface Node {
  ID: string;
  /** Never sent to API readers; the client proves its identity with it. */
  SecretID: string;
  Datacenter: string;
  Name: string;
  HTTPAddr: string;
  TLSEnabled: boolean;
  Attributes: Record<string, string>;
  NodeResources: NodeResources;
  ReservedResources: NodeReservedResources | null;
  Links: Record<string, string> | null;
  Meta: Record<string, string>;
  NodeClass: string;
  NodePool: string;
  CgroupParent: string;
  ComputedClass: string;
  DrainStrategy: DrainStrategy | null;
  SchedulingEligibility: NodeEligibility;
  Status: NodeStatus;
  StatusDescription: string;
  /** Unix seconds. */
  StatusUpdatedAt: number;
  Events: NodeEvent[] | null;
  Drivers: Record<string, DriverInfo>;
  HostVolumes: Record<string, { Name: string; Path: string; ReadOnly: boolean }> | null;
  HostNetworks: Record<string, unknown> | null;
  LastDrain: unknown;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface NodeListStub {
  Address: string;
  ID: string;
  Attributes: Record<string, string> | null;
  Datacenter: string;
  Name: string;
  NodeClass: string;
  NodePool: string;
  Version: string;
  Drain: boolean;
  SchedulingEligibility: NodeEligibility;
  Status: NodeStatus;
  StatusDescription: string;
  Drivers: Record<string, DriverInfo>;
  NodeResources?: NodeResources;
  ReservedResources?: NodeReservedResources | null;
  LastDrain: unknown;
  CreateIndex: number;
  ModifyIndex: number;
}

/** Ready for new work: status ready, not draining, eligible (Nomad's Node.Ready()). */
export function nodeReady(n: Pick<Node, 'Status' | 'DrainStrategy' | 'SchedulingEligibility'>): boolean {
  return n.Status === 'ready' && n.DrainStrategy === null && n.SchedulingEligibility === 'eligible';
}

export function isTerminalNodeStatus(s: NodeStatus): boolean {
  return s === 'down';
}

/** The API form of a node: the secret is never sent, and the legacy `Drain` flag is added. */
export function publicNode(n: Node): Omit<Node, 'SecretID'> & { Drain: boolean } {
  const { SecretID: _secret, ...rest } = n;
  return { ...rest, Drain: n.DrainStrategy !== null };
}

export function nodeListStub(n: Node, withResources = false): NodeListStub {
  const stub: NodeListStub = {
    Address: n.Attributes['unique.network.ip-address'] ?? '',
    ID: n.ID,
    Attributes: null,
    Datacenter: n.Datacenter,
    Name: n.Name,
    NodeClass: n.NodeClass,
    NodePool: n.NodePool,
    Version: n.Attributes['nomad.version'] ?? '',
    Drain: n.DrainStrategy !== null,
    SchedulingEligibility: n.SchedulingEligibility,
    Status: n.Status,
    StatusDescription: n.StatusDescription,
    Drivers: n.Drivers,
    LastDrain: n.LastDrain,
    CreateIndex: n.CreateIndex,
    ModifyIndex: n.ModifyIndex,
  };
  if (withResources) {
    stub.NodeResources = n.NodeResources;
    stub.ReservedResources = n.ReservedResources;
  }
  return stub;
}
