// Whether a job change forces allocations of a task group to be replaced (destructive update)
// rather than updated in place — Nomad's tasksUpdated field list: number of tasks, ephemeral disk,
// group networks, consul namespace/cluster/partition, volumes, restart.render_templates, and per
// task: driver, user, config, env, artifacts, vault, consul, templates, CSI plugin config, volume
// mounts, combined meta, task networks, cpu/cores/memory/memory_max/devices/secrets size,
// identities and logs.disabled. Count, update, reschedule, services, kill settings are in-place.
import type { Job, NetworkResource, Port, RestartPolicy, TaskGroup } from '../structs/index.js';
import { combinedTaskMeta, lookupTaskGroup } from '../structs/index.js';

export interface Comparison {
  modified: boolean;
  /** What differed first, e.g. "task config" (for debugging and plan diffs). */
  label: string;
}

const same: Comparison = { modified: false, label: '' };
const differ = (label: string): Comparison => ({ modified: true, label });

const isEmptyish = (v: unknown): boolean => v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** Structural equality where null, undefined, {} and [] are all "nothing" (as Go's nil vs empty). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmptyish(a) && isEmptyish(b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

function portKey(p: Port, dynamic: boolean): string {
  return JSON.stringify([p.Label, dynamic ? -1 : p.Value, p.To, p.HostNetwork]);
}

function portMap(n: NetworkResource): string[] {
  return [...(n.ReservedPorts ?? []).map((p) => portKey(p, false)), ...(n.DynamicPorts ?? []).map((p) => portKey(p, true))].sort();
}

export function networkUpdated(a: readonly NetworkResource[] | null, b: readonly NetworkResource[] | null): Comparison {
  const na = a ?? [];
  const nb = b ?? [];
  if (na.length !== nb.length) return differ('network lengths');
  for (let i = 0; i < na.length; i++) {
    const x = na[i] as NetworkResource;
    const y = nb[i] as NetworkResource;
    if (x.Mode !== y.Mode) return differ('network mode');
    if (x.MBits !== y.MBits) return differ('network mbits');
    if (x.Hostname !== y.Hostname) return differ('network hostname');
    if (!deepEqual(x.DNS, y.DNS)) return differ('network dns');
    if (!deepEqual(x.CNI ?? null, y.CNI ?? null)) return differ('network cni');
    if (!deepEqual(portMap(x), portMap(y))) return differ('network port map');
  }
  return same;
}

function consulUpdated(a: Record<string, unknown> | null, b: Record<string, unknown> | null): Comparison {
  const ns = (c: Record<string, unknown> | null): unknown => c?.['Namespace'] ?? '';
  if (ns(a) !== ns(b)) return differ('consul namespace');
  if (a !== null && b !== null) {
    if ((a['Cluster'] ?? '') !== (b['Cluster'] ?? '')) return differ('consul cluster');
    if ((a['Partition'] ?? '') !== (b['Partition'] ?? '')) return differ('consul partition');
  }
  return same;
}

function renderTemplatesUpdated(a: RestartPolicy | null, b: RestartPolicy | null, label: string): Comparison {
  return (a?.RenderTemplates ?? false) !== (b?.RenderTemplates ?? false) ? differ(label) : same;
}

function groupUpdated(a: TaskGroup, b: TaskGroup): Comparison {
  if (a.Tasks.length !== b.Tasks.length) return differ('number of tasks');
  if (!deepEqual(a.EphemeralDisk, b.EphemeralDisk)) return differ('ephemeral disk');
  const net = networkUpdated(a.Networks, b.Networks);
  if (net.modified) return net;
  const consul = consulUpdated(a.Consul, b.Consul);
  if (consul.modified) return consul;
  if (!deepEqual(a.Volumes, b.Volumes)) return differ('volume request');
  return renderTemplatesUpdated(a.RestartPolicy, b.RestartPolicy, 'group restart render_templates');
}

/** Compares group `group` between two job versions. */
export function tasksUpdated(jobA: Job, jobB: Job, group: string): Comparison {
  const a = lookupTaskGroup(jobA, group);
  const b = lookupTaskGroup(jobB, group);
  if (a === undefined || b === undefined) return a === b ? same : differ('task group');
  const g = groupUpdated(a, b);
  if (g.modified) return g;
  for (const at of a.Tasks) {
    const bt = b.Tasks.find((t) => t.Name === at.Name);
    if (bt === undefined) return differ('task deleted');
    if (at.Driver !== bt.Driver) return differ('task driver');
    if (at.User !== bt.User) return differ('task user');
    if (!deepEqual(at.Config, bt.Config)) return differ('task config');
    if (!deepEqual(at.Env, bt.Env)) return differ('task env');
    if (!deepEqual(at.Artifacts, bt.Artifacts)) return differ('task artifacts');
    if (!deepEqual(at.Vault, bt.Vault)) return differ('task vault');
    const consul = consulUpdated(at.Consul, bt.Consul);
    if (consul.modified) return consul;
    if (!deepEqual(at.Templates, bt.Templates)) return differ('task templates');
    if (!deepEqual(at.CSIPluginConfig, bt.CSIPluginConfig)) return differ('task csi config');
    if (!deepEqual(at.VolumeMounts, bt.VolumeMounts)) return differ('task volume mount');
    if (!deepEqual(combinedTaskMeta(jobA, a, at), combinedTaskMeta(jobB, b, bt))) return differ('task meta');
    const net = networkUpdated(at.Resources.Networks, bt.Resources.Networks);
    if (net.modified) return net;
    const ra = at.Resources;
    const rb = bt.Resources;
    if (ra.CPU !== rb.CPU) return differ('task cpu');
    if (ra.Cores !== rb.Cores) return differ('task cores');
    if (ra.MemoryMB !== rb.MemoryMB) return differ('task memory');
    if (ra.MemoryMaxMB !== rb.MemoryMaxMB) return differ('task memory max');
    if (!deepEqual(ra.Devices, rb.Devices)) return differ('task devices');
    if ((ra.SecretsMB ?? 0) !== (rb.SecretsMB ?? 0)) return differ('task secrets');
    if (!deepEqual(at.Identity, bt.Identity) || !deepEqual(at.Identities, bt.Identities)) return differ('task identity');
    if (at.LogConfig.Disabled !== bt.LogConfig.Disabled) return differ('task log disabled');
    const rt = renderTemplatesUpdated(at.RestartPolicy, bt.RestartPolicy, 'task restart render_templates');
    if (rt.modified) return rt;
  }
  return same;
}
