// The container a task runs in, as the body of Docker's POST /containers/create — Nomad's
// createContainerConfig: name `<task>-<allocID>`, the com.hashicorp.nomad.* labels, /alloc,
// /local and /secrets bind-mounted from the alloc dir, the task's environment, memory and CPU
// from its resources, published ports, and the options the plugin config gates (host volumes,
// privileged mode, capabilities, runtimes). Pure: it only computes; the driver talks to dockerd.
import path from 'node:path';
import type { TaskConfig } from '../driver.js';
import { DriverError } from '../driver.js';
import type { DockerTaskConfig, PluginConfig } from './config.js';

export const LABEL_PREFIX = 'com.hashicorp.nomad.';
export const LABEL_ALLOC_ID = `${LABEL_PREFIX}alloc_id`;
export const LABEL_NODE_ID = `${LABEL_PREFIX}node_id`;
export const LABEL_TASK_NAME = `${LABEL_PREFIX}task_name`;

/** Capabilities Docker grants a container by default (moby's oci/caps defaults). */
const DOCKER_DEFAULT_CAPS = ['audit_write', 'chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'mknod', 'net_bind_service', 'net_raw', 'setfcap', 'setgid', 'setpcap', 'setuid', 'sys_chroot'];

export function containerName(cfg: TaskConfig): string {
  return `${cfg.name}-${cfg.allocID}`;
}

/** Nomad's labels on every container it starts, plus the task's own `labels`. */
export function containerLabels(cfg: TaskConfig, tc: DockerTaskConfig): Record<string, string> {
  const labels: Record<string, string> = {
    ...tc.labels,
    [LABEL_ALLOC_ID]: cfg.allocID,
    [`${LABEL_PREFIX}job_name`]: cfg.jobName,
    [`${LABEL_PREFIX}job_id`]: cfg.jobID,
    [`${LABEL_PREFIX}task_group_name`]: cfg.taskGroup,
    [LABEL_TASK_NAME]: cfg.name,
    [`${LABEL_PREFIX}namespace`]: cfg.namespace,
    [`${LABEL_PREFIX}node_name`]: cfg.nodeName,
    [LABEL_NODE_ID]: cfg.nodeID,
  };
  if (cfg.parentJobID) labels[`${LABEL_PREFIX}parent_job_id`] = cfg.parentJobID;
  return labels;
}

/** Memory limit and soft reservation in bytes (Nomad's memoryLimits: memory_hard_limit or memory_max win). */
export function memoryLimits(cfg: TaskConfig, tc: DockerTaskConfig): { limit: number; reservation: number } {
  const MiB = 1024 * 1024;
  const mem = cfg.resources.memoryMB;
  const hard = tc.memoryHardLimitMB > 0 ? tc.memoryHardLimitMB : cfg.resources.memoryMaxMB;
  if (hard > 0 && hard > mem) return { limit: hard * MiB, reservation: mem * MiB };
  return { limit: mem * MiB, reservation: 0 };
}

/** PortBindings and ExposedPorts for the labels in `config.ports`: host IP:port → `to` (or the same port), tcp and udp. */
export function portBindings(cfg: TaskConfig, tc: DockerTaskConfig): { bindings: Record<string, { HostIp: string; HostPort: string }[]>; exposed: Record<string, object> } {
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const exposed: Record<string, object> = {};
  for (const label of tc.ports) {
    const p = cfg.resources.ports.find((x) => x.Label === label);
    if (!p) {
      const known = cfg.resources.ports.map((x) => x.Label);
      throw new DriverError(`Port ${JSON.stringify(label)} not found, check network block${known.length ? ` (the group has ${known.map((k) => JSON.stringify(k)).join(', ')})` : ' (the group has no ports)'}`, false);
    }
    const containerPort = p.To > 0 ? p.To : p.Value;
    for (const proto of ['tcp', 'udp']) {
      const key = `${containerPort}/${proto}`;
      (bindings[key] ??= []).push({ HostIp: p.HostIP, HostPort: String(p.Value) });
      exposed[key] = {};
    }
  }
  return { bindings, exposed };
}

/** Capabilities: what cap_add may add under the allowlist, and the defaults the allowlist removes (Nomad's tweakCapabilities). */
export function capabilities(tc: DockerTaskConfig, plugin: PluginConfig): { capAdd: string[]; capDrop: string[] } {
  const allowAll = plugin.allowCaps.includes('all');
  if (tc.capAdd.includes('all') && !allowAll) {
    throw new DriverError('Docker driver does not allow cap_add = ["all"] on this agent (plugin config allow_caps)', false);
  }
  const denied = tc.capAdd.filter((c) => c !== 'all' && !allowAll && !plugin.allowCaps.includes(c));
  if (denied.length > 0) {
    throw new DriverError(`Docker driver doesn't have the following caps allowlisted on this agent: ${JSON.stringify(denied)} (plugin config allow_caps)`, false);
  }
  const drop = new Set(tc.capDrop);
  if (!allowAll && !tc.capDrop.includes('all')) for (const c of DOCKER_DEFAULT_CAPS) if (!plugin.allowCaps.includes(c) && !tc.capAdd.includes(c)) drop.add(c);
  return { capAdd: tc.capAdd.map((c) => c.toUpperCase()), capDrop: [...drop].map((c) => c.toUpperCase()).sort() };
}

/** True when `child` is `parent` or inside it. */
function within(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `volumes` entries as binds: relative sources are inside the task dir; host paths need volumes enabled. */
export function volumeBinds(cfg: TaskConfig, tc: DockerTaskConfig, plugin: PluginConfig): string[] {
  const out: string[] = [];
  for (const v of tc.volumes) {
    const [src = '', dst = '', mode] = v.split(':');
    let source = src;
    if (tc.volumeDriver === '' || src.startsWith('.') || src.startsWith('/')) {
      source = path.isAbsolute(src) ? src : path.join(cfg.dirs.dir, src);
      if (!plugin.volumesEnabled && !within(cfg.dirs.dir, source)) {
        throw new DriverError(`volumes are not enabled; cannot mount host paths: ${JSON.stringify(src)} (plugin "docker" { config { volumes { enabled = true } } })`, false);
      }
    }
    out.push(mode ? `${source}:${dst}:${mode}` : `${source}:${dst}`);
  }
  return out;
}

function mounts(cfg: TaskConfig, tc: DockerTaskConfig, plugin: PluginConfig): Record<string, unknown>[] {
  return tc.mounts.map((m) => {
    const out: Record<string, unknown> = { Type: m.type, Target: m.target, ReadOnly: m.readonly };
    if (m.type === 'bind') {
      const source = path.isAbsolute(m.source) ? m.source : path.join(cfg.dirs.dir, m.source);
      if (!plugin.volumesEnabled && !within(cfg.dirs.dir, source)) {
        throw new DriverError(`volumes are not enabled; cannot mount host path ${JSON.stringify(m.source)} (plugin "docker" { config { volumes { enabled = true } } })`, false);
      }
      out.Source = source;
      if (m.propagation) out.BindOptions = { Propagation: m.propagation };
    } else if (m.type === 'volume') {
      if (m.volumeDriver && !plugin.volumesEnabled) throw new DriverError(`volumes are not enabled; cannot use volume driver ${JSON.stringify(m.volumeDriver)}`, false);
      out.Source = m.source;
      out.VolumeOptions = { NoCopy: m.volumeNoCopy, Labels: m.volumeLabels, ...(m.volumeDriver ? { DriverConfig: { Name: m.volumeDriver, Options: m.volumeDriverOptions } } : {}) };
    } else {
      out.TmpfsOptions = { ...(m.tmpfsSize ? { SizeBytes: m.tmpfsSize } : {}), ...(m.tmpfsMode ? { Mode: m.tmpfsMode } : {}) };
    }
    return out;
  });
}

/** The CPU quota for cpu_hard_limit: the task's MHz as a share of one core, over the CFS period. */
export function cpuQuota(cpuShares: number, periodUs: number, mhzPerCore: number): number {
  if (mhzPerCore <= 0) return 0;
  return Math.max(1000, Math.round((cpuShares / mhzPerCore) * periodUs));
}

export interface ContainerSpec {
  name: string;
  body: Record<string, unknown>;
}

/** The create-container request for a task; throws a non-recoverable DriverError for what the plugin config forbids. */
export function buildContainerSpec(cfg: TaskConfig, tc: DockerTaskConfig, plugin: PluginConfig, mhzPerCore: number): ContainerSpec {
  if (tc.privileged && !plugin.allowPrivileged) {
    throw new DriverError('Docker privileged mode is disabled on this agent (plugin "docker" { config { allow_privileged = true } })', false);
  }
  if (tc.runtime && !plugin.allowRuntimes.includes(tc.runtime)) {
    throw new DriverError(`runtime ${JSON.stringify(tc.runtime)} is not allowed on this agent (plugin config allow_runtimes: ${JSON.stringify(plugin.allowRuntimes)})`, false);
  }
  const networkMode = tc.networkMode === '' || tc.networkMode === 'default' ? 'bridge' : tc.networkMode;
  const ports = portBindings(cfg, tc);
  // A privileged container has every capability; dropping some of them is not possible then.
  const caps = tc.privileged ? { capAdd: [], capDrop: [] } : capabilities(tc, plugin);
  const mem = memoryLimits(cfg, tc);
  const logging = tc.logging?.type ? tc.logging : plugin.logging;
  const cmd = tc.command ? [tc.command, ...tc.args] : tc.args.length > 0 ? tc.args : undefined;

  const hostConfig: Record<string, unknown> = {
    Binds: [`${cfg.dirs.sharedAllocDir}:/alloc`, `${cfg.dirs.localDir}:/local`, `${cfg.dirs.secretsDir}:/secrets`, ...volumeBinds(cfg, tc, plugin)],
    Mounts: mounts(cfg, tc, plugin),
    Memory: mem.limit,
    MemorySwap: mem.limit,
    ...(mem.reservation ? { MemoryReservation: mem.reservation } : {}),
    CpuShares: Math.max(2, cfg.resources.cpuShares),
    ...(tc.cpuHardLimit ? { CpuPeriod: tc.cpuCfsPeriod, CpuQuota: cpuQuota(cfg.resources.cpuShares, tc.cpuCfsPeriod, mhzPerCore) } : {}),
    ...(tc.cpusetCpus ? { CpusetCpus: tc.cpusetCpus } : cfg.resources.reservedCores.length ? { CpusetCpus: cfg.resources.reservedCores.join(',') } : {}),
    NetworkMode: networkMode,
    PortBindings: networkMode === 'host' || networkMode === 'none' || networkMode.startsWith('container:') ? {} : ports.bindings,
    Privileged: tc.privileged,
    CapAdd: caps.capAdd,
    CapDrop: caps.capDrop,
    Dns: tc.dnsServers,
    DnsSearch: tc.dnsSearchDomains,
    DnsOptions: tc.dnsOptions,
    ExtraHosts: tc.extraHosts,
    SecurityOpt: tc.securityOpt,
    Ulimits: tc.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
    Init: tc.init,
    LogConfig: { Type: logging.type, Config: logging.config },
    ReadonlyRootfs: tc.readonlyRootfs,
    ...(tc.pidsLimit || plugin.pidsLimit ? { PidsLimit: tc.pidsLimit || plugin.pidsLimit } : {}),
    ...(tc.pidMode ? { PidMode: tc.pidMode } : {}),
    ...(tc.ipcMode ? { IpcMode: tc.ipcMode } : {}),
    ...(tc.utsMode ? { UTSMode: tc.utsMode } : {}),
    ...(tc.usernsMode ? { UsernsMode: tc.usernsMode } : {}),
    ...(tc.runtime ? { Runtime: tc.runtime } : {}),
    ...(tc.shmSize ? { ShmSize: tc.shmSize } : {}),
    ...(Object.keys(tc.sysctl).length ? { Sysctls: tc.sysctl } : {}),
    ...(Object.keys(tc.storageOpt).length ? { StorageOpt: tc.storageOpt } : {}),
    ...(tc.groupAdd.length ? { GroupAdd: tc.groupAdd } : {}),
    ...(tc.oomScoreAdj ? { OomScoreAdj: tc.oomScoreAdj } : {}),
    ...(tc.volumeDriver ? { VolumeDriver: tc.volumeDriver } : {}),
    Devices: tc.devices.map((d) => ({ PathOnHost: d.hostPath, PathInContainer: d.containerPath, CgroupPermissions: d.permissions })),
  };

  const body: Record<string, unknown> = {
    Image: tc.image,
    Env: Object.entries(cfg.env).map(([k, v]) => `${k}=${v}`),
    Labels: containerLabels(cfg, tc),
    Tty: tc.tty,
    OpenStdin: tc.interactive,
    StdinOnce: false,
    AttachStdout: true,
    AttachStderr: true,
    ExposedPorts: ports.exposed,
    HostConfig: hostConfig,
    ...(cmd ? { Cmd: cmd } : {}),
    ...(tc.entrypoint ? { Entrypoint: tc.entrypoint } : {}),
    ...(tc.workDir ? { WorkingDir: tc.workDir } : {}),
    ...(tc.hostname ? { Hostname: tc.hostname } : {}),
    ...(cfg.user ? { User: cfg.user } : {}),
    ...(tc.macAddress ? { MacAddress: tc.macAddress } : {}),
  };
  const endpoint: Record<string, unknown> = {};
  if (tc.networkAliases.length) endpoint.Aliases = tc.networkAliases;
  if (tc.ipv4Address || tc.ipv6Address) endpoint.IPAMConfig = { ...(tc.ipv4Address ? { IPv4Address: tc.ipv4Address } : {}), ...(tc.ipv6Address ? { IPv6Address: tc.ipv6Address } : {}) };
  if (Object.keys(endpoint).length) body.NetworkingConfig = { EndpointsConfig: { [networkMode]: endpoint } };
  if (tc.healthchecksDisabled) body.Healthcheck = { Test: ['NONE'] };
  return { name: containerName(cfg), body };
}
