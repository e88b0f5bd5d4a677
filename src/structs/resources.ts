// Resources asked for by tasks and groups, offered by nodes, and granted to allocations, in
// Nomad's JSON shape (CPU in MHz, memory and disk in MB).
import type { Affinity, Constraint } from './constraints.js';

export interface Port {
  Label: string;
  Value: number;
  /** Port inside the task's network namespace; 0 = same as Value, -1 = same as the allocated value. */
  To: number;
  HostNetwork: string;
  IgnoreCollision?: boolean;
}

export interface DNSConfig {
  Servers: string[] | null;
  Searches: string[] | null;
  Options: string[] | null;
}

export interface CNIConfig {
  Args: Record<string, string> | null;
}

export interface NetworkResource {
  /** "" or "host" (default), "bridge", "none", "cni/<name>". */
  Mode: string;
  Device: string;
  CIDR: string;
  IP: string;
  Hostname: string;
  MBits: number;
  DNS: DNSConfig | null;
  ReservedPorts: Port[] | null;
  DynamicPorts: Port[] | null;
  CNI?: CNIConfig | null;
}

export interface RequestedDevice {
  Name: string;
  Count: number;
  Constraints: Constraint[] | null;
  Affinities: Affinity[] | null;
}

export interface Resources {
  CPU: number;
  Cores: number;
  MemoryMB: number;
  MemoryMaxMB: number;
  DiskMB: number;
  IOPS: number;
  Networks: NetworkResource[] | null;
  Devices: RequestedDevice[] | null;
  SecretsMB?: number;
}

// ---- granted to an allocation -------------------------------------------------------------

export interface AllocatedPortMapping {
  Label: string;
  Value: number;
  To: number;
  HostIP: string;
}

export interface AllocatedCpuResources {
  CpuShares: number;
  ReservedCores: number[] | null;
}

export interface AllocatedMemoryResources {
  MemoryMB: number;
  MemoryMaxMB: number;
}

export interface AllocatedTaskResources {
  Cpu: AllocatedCpuResources;
  Memory: AllocatedMemoryResources;
  Networks: NetworkResource[] | null;
  Devices: unknown[] | null;
}

export interface AllocatedSharedResources {
  Networks: NetworkResource[] | null;
  DiskMB: number;
  Ports: AllocatedPortMapping[] | null;
}

export interface TaskLifecycleConfigRef {
  Hook: string;
  Sidecar: boolean;
}

export interface AllocatedResources {
  Tasks: Record<string, AllocatedTaskResources>;
  TaskLifecycles: Record<string, TaskLifecycleConfigRef | null>;
  Shared: AllocatedSharedResources;
}

// ---- offered by a node ----------------------------------------------------------------------

export interface NodeCpuResources {
  CpuShares: number;
  TotalCpuCores: number;
  ReservableCpuCores: number[] | null;
}

export interface NodeMemoryResources {
  MemoryMB: number;
}

export interface NodeDiskResources {
  DiskMB: number;
}

export interface NodeNetworkAddress {
  Family: string;
  Alias: string;
  Address: string;
  ReservedPorts: string;
  Gateway: string;
}

export interface NodeNetworkResource {
  Mode: string;
  Device: string;
  MacAddress: string;
  Speed: number;
  Addresses: NodeNetworkAddress[] | null;
}

export interface NodeResources {
  Cpu: NodeCpuResources;
  Memory: NodeMemoryResources;
  Disk: NodeDiskResources;
  Networks: NetworkResource[] | null;
  NodeNetworks: NodeNetworkResource[] | null;
  Devices: unknown[] | null;
  MinDynamicPort: number;
  MaxDynamicPort: number;
}

export interface NodeReservedResources {
  Cpu: { CpuShares: number; ReservedCpuCores: number[] | null };
  Memory: { MemoryMB: number };
  Disk: { DiskMB: number };
  Networks: { ReservedHostPorts: string };
}

export const DEFAULT_MIN_DYNAMIC_PORT = 20000;
export const DEFAULT_MAX_DYNAMIC_PORT = 32000;
export const MAX_VALID_PORT = 65535;
