// The docker driver's plugin config (`plugin "docker" { config { … } }`) and task config
// (`config { … }` in a task), as Nomad's drivers/docker/config.go declares them, with the same
// defaults. Nested blocks arrive from the jobspec as a list of maps (HCL) or a map (JSON); both
// are accepted. Options Roam accepts but does not act on are listed as such.
import { isRecord } from '../../structs/assert.js';
import type { ConfigSchema } from '../shared/config-schema.js';
import { checkConfig, readBool, readDurationMs, readInt, readString, readStringList } from '../shared/config-schema.js';

/** Nomad's default capability allowlist (drivers/docker/config.go). */
export const DEFAULT_ALLOW_CAPS = ['audit_write', 'chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'mknod', 'net_bind_service', 'setfcap', 'setgid', 'setpcap', 'setuid', 'sys_chroot'];

export const PLUGIN_SCHEMA: ConfigSchema = {
  endpoint: { type: 'string' },
  auth: { type: 'any' },
  tls: { type: 'any' },
  extra_labels: { type: 'string[]' },
  logging: { type: 'any' },
  gc: { type: 'any' },
  volumes: { type: 'any' },
  allow_privileged: { type: 'bool' },
  allow_caps: { type: 'string[]' },
  allow_runtimes: { type: 'string[]' },
  nvidia_runtime: { type: 'string' },
  infra_image: { type: 'string' },
  infra_image_pull_timeout: { type: 'duration' },
  image_pull_timeout: { type: 'duration' },
  pull_activity_timeout: { type: 'duration' },
  container_exists_attempts: { type: 'int' },
  oom_score_adj: { type: 'int' },
  pids_limit: { type: 'int' },
  disable_log_collection: { type: 'bool' },
  allowed_modes: { type: 'any' },
  windows_allow_insecure_container_admin: { type: 'bool' },
};

export const TASK_SCHEMA: ConfigSchema = {
  image: { type: 'string', required: true },
  advertise_ipv6_address: { type: 'bool' },
  args: { type: 'string[]' },
  auth: { type: 'any' },
  auth_soft_fail: { type: 'bool' },
  cap_add: { type: 'string[]' },
  cap_drop: { type: 'string[]' },
  cgroupns: { type: 'string' },
  command: { type: 'string' },
  container_exists_attempts: { type: 'int' },
  cpuset_cpus: { type: 'string' },
  cpu_hard_limit: { type: 'bool' },
  cpu_cfs_period: { type: 'int' },
  devices: { type: 'any' },
  dns_search_domains: { type: 'string[]' },
  dns_options: { type: 'string[]' },
  dns_servers: { type: 'string[]' },
  entrypoint: { type: 'string[]' },
  extra_hosts: { type: 'string[]' },
  force_pull: { type: 'bool' },
  group_add: { type: 'string[]' },
  healthchecks: { type: 'any' },
  hostname: { type: 'string' },
  init: { type: 'bool' },
  interactive: { type: 'bool' },
  ipc_mode: { type: 'string' },
  ipv4_address: { type: 'string' },
  ipv6_address: { type: 'string' },
  isolation: { type: 'string' },
  labels: { type: 'any' },
  load: { type: 'string' },
  logging: { type: 'any' },
  mac_address: { type: 'string' },
  memory_hard_limit: { type: 'int' },
  mount: { type: 'any' },
  mounts: { type: 'any' },
  network_aliases: { type: 'string[]' },
  network_mode: { type: 'string' },
  oom_score_adj: { type: 'int' },
  runtime: { type: 'string' },
  pids_limit: { type: 'int' },
  pid_mode: { type: 'string' },
  ports: { type: 'string[]' },
  port_map: { type: 'any' },
  privileged: { type: 'bool' },
  image_pull_timeout: { type: 'duration' },
  readonly_rootfs: { type: 'bool' },
  security_opt: { type: 'string[]' },
  shm_size: { type: 'int' },
  storage_opt: { type: 'any' },
  sysctl: { type: 'any' },
  tty: { type: 'bool' },
  ulimit: { type: 'any' },
  uts_mode: { type: 'string' },
  userns_mode: { type: 'string' },
  volumes: { type: 'string[]' },
  volume_driver: { type: 'string' },
  work_dir: { type: 'string' },
};

/** A nested block: `{…}` (JSON) or `[{…}]` (HCL decodes blocks as lists); undefined when absent. */
export function readBlock(c: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = c[key];
  if (isRecord(v)) return v;
  if (Array.isArray(v)) {
    const merged: Record<string, unknown> = {};
    for (const x of v) if (isRecord(x)) Object.assign(merged, x);
    return merged;
  }
  return undefined;
}

/** A repeatable block (`mount`, `devices`): a list of maps, or one map. */
export function readBlockList(c: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = c[key];
  if (isRecord(v)) return [v];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

/** A string map (`labels`, `sysctl`, `storage_opt`, `ulimit`), from a block or a map. */
export function readStringMap(c: Record<string, unknown>, key: string): Record<string, string> {
  const b = readBlock(c, key) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

export interface GcConfig {
  image: boolean;
  imageDelayMs: number;
  container: boolean;
  dangling: { enabled: boolean; periodMs: number; creationGraceMs: number; dryRun: boolean };
}

export interface PluginConfig {
  endpoint: string;
  authConfigFile: string;
  extraLabels: string[];
  logging: { type: string; config: Record<string, string> };
  gc: GcConfig;
  volumesEnabled: boolean;
  allowPrivileged: boolean;
  allowCaps: string[];
  allowRuntimes: string[];
  imagePullTimeoutMs: number;
  pullActivityTimeoutMs: number;
  pidsLimit: number;
  disableLogCollection: boolean;
}

/** Parses the plugin config (legacy client options already folded in by the agent); throws a sentence naming the option. */
export function parsePluginConfig(raw: Record<string, unknown>): PluginConfig {
  const errs = checkConfig('docker plugin', raw, PLUGIN_SCHEMA);
  if (errs.length > 0) throw new Error(errs.join('; '));
  const logging = readBlock(raw, 'logging') ?? {};
  const gc = readBlock(raw, 'gc') ?? {};
  const dangling = readBlock(gc, 'dangling_containers') ?? {};
  const volumes = readBlock(raw, 'volumes') ?? {};
  const auth = readBlock(raw, 'auth') ?? {};
  const loggingConfig = readStringMap(logging, 'config');
  return {
    endpoint: readString(raw, 'endpoint') ?? '',
    authConfigFile: readString(auth, 'config') ?? '',
    extraLabels: readStringList(raw, 'extra_labels') ?? [],
    logging: {
      type: readString(logging, 'type') ?? 'json-file',
      // Nomad keeps 2 files of 2 MB; Roam keeps 2 of 10 MB, so that a burst of output is not rotated
      // away inside dockerd before the logger has copied it into the alloc's log files.
      config: Object.keys(loggingConfig).length > 0 ? loggingConfig : { 'max-file': '2', 'max-size': '10m' },
    },
    gc: {
      image: readBool(gc, 'image') ?? true,
      imageDelayMs: readDurationMs(gc, 'image_delay') ?? 3 * 60_000,
      container: readBool(gc, 'container') ?? true,
      dangling: {
        enabled: readBool(dangling, 'enabled') ?? true,
        periodMs: readDurationMs(dangling, 'period') ?? 5 * 60_000,
        creationGraceMs: readDurationMs(dangling, 'creation_grace') ?? 5 * 60_000,
        dryRun: readBool(dangling, 'dry_run') ?? false,
      },
    },
    volumesEnabled: readBool(volumes, 'enabled') ?? false,
    allowPrivileged: readBool(raw, 'allow_privileged') ?? false,
    allowCaps: (readStringList(raw, 'allow_caps') ?? DEFAULT_ALLOW_CAPS).map(normalizeCap),
    allowRuntimes: readStringList(raw, 'allow_runtimes') ?? ['runc', 'nvidia'],
    imagePullTimeoutMs: readDurationMs(raw, 'image_pull_timeout') ?? 5 * 60_000,
    pullActivityTimeoutMs: readDurationMs(raw, 'pull_activity_timeout') ?? 2 * 60_000,
    pidsLimit: readInt(raw, 'pids_limit') ?? 0,
    disableLogCollection: readBool(raw, 'disable_log_collection') ?? false,
  };
}

/** `CAP_NET_ADMIN`, `net_admin` and `NET_ADMIN` are the same capability; "all" stays "all". */
export function normalizeCap(c: string): string {
  return c.toLowerCase().replace(/^cap_/, '');
}

const NETWORK_MODES = /^(bridge|host|none|default|container:.+|[A-Za-z0-9][A-Za-z0-9_.-]*)$/;

/** Problems with a task's config block, each a sentence naming the option. */
export function validateTaskConfig(config: Record<string, unknown>): string[] {
  const errs = checkConfig('docker', config, TASK_SCHEMA);
  const mode = readString(config, 'network_mode');
  if (mode && !NETWORK_MODES.test(mode)) errs.push(`docker option "network_mode" ${JSON.stringify(mode)} is not bridge, host, none, container:<name> or a network name`);
  for (const [i, m] of [...readBlockList(config, 'mount'), ...readBlockList(config, 'mounts')].entries()) {
    const type = readString(m, 'type') ?? 'volume';
    if (!['bind', 'volume', 'tmpfs'].includes(type)) errs.push(`docker mount ${i + 1}: type ${JSON.stringify(type)} is not bind, volume or tmpfs`);
    if (!readString(m, 'target')) errs.push(`docker mount ${i + 1}: "target" is required`);
  }
  for (const [name, v] of Object.entries(readStringMap(config, 'ulimit'))) {
    if (!/^\d+(:\d+)?$/.test(v)) errs.push(`docker ulimit ${JSON.stringify(name)} must be "soft" or "soft:hard" numbers, got ${JSON.stringify(v)}`);
  }
  for (const v of readStringList(config, 'volumes') ?? []) {
    if (!/^[^:]+:[^:]+(:(ro|rw|z|Z|ro,z|ro,Z))?$/.test(v)) errs.push(`docker volume ${JSON.stringify(v)} must be "source:target" or "source:target:ro"`);
  }
  return errs;
}

export interface MountSpec {
  type: 'bind' | 'volume' | 'tmpfs';
  target: string;
  source: string;
  readonly: boolean;
  propagation: string;
  tmpfsSize: number;
  tmpfsMode: number;
  volumeLabels: Record<string, string>;
  volumeNoCopy: boolean;
  volumeDriver: string;
  volumeDriverOptions: Record<string, string>;
}

export interface DockerTaskConfig {
  image: string;
  command: string;
  args: string[];
  entrypoint: string[] | undefined;
  workDir: string;
  auth: { username: string; password: string; email: string; serverAddress: string } | undefined;
  authSoftFail: boolean;
  forcePull: boolean;
  imagePullTimeoutMs: number | undefined;
  ports: string[];
  networkMode: string;
  networkAliases: string[];
  hostname: string;
  dnsServers: string[];
  dnsSearchDomains: string[];
  dnsOptions: string[];
  extraHosts: string[];
  labels: Record<string, string>;
  volumes: string[];
  volumeDriver: string;
  mounts: MountSpec[];
  devices: { hostPath: string; containerPath: string; permissions: string }[];
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  ulimits: { name: string; soft: number; hard: number }[];
  init: boolean;
  tty: boolean;
  interactive: boolean;
  logging: { type: string; config: Record<string, string> } | undefined;
  memoryHardLimitMB: number;
  cpuHardLimit: boolean;
  cpuCfsPeriod: number;
  cpusetCpus: string;
  pidsLimit: number;
  pidMode: string;
  ipcMode: string;
  utsMode: string;
  usernsMode: string;
  readonlyRootfs: boolean;
  runtime: string;
  shmSize: number;
  sysctl: Record<string, string>;
  storageOpt: Record<string, string>;
  groupAdd: string[];
  oomScoreAdj: number;
  macAddress: string;
  ipv4Address: string;
  ipv6Address: string;
  healthchecksDisabled: boolean;
}

export function parseTaskConfig(c: Record<string, unknown>): DockerTaskConfig {
  const auth = readBlock(c, 'auth');
  const logging = readBlock(c, 'logging');
  const mounts: MountSpec[] = [...readBlockList(c, 'mount'), ...readBlockList(c, 'mounts')].map((m) => {
    const bind = readBlock(m, 'bind_options') ?? {};
    const tmpfs = readBlock(m, 'tmpfs_options') ?? {};
    const vol = readBlock(m, 'volume_options') ?? {};
    const drv = readBlock(vol, 'driver_config') ?? {};
    return {
      type: (readString(m, 'type') ?? 'volume') as MountSpec['type'],
      target: readString(m, 'target') ?? '',
      source: readString(m, 'source') ?? '',
      readonly: readBool(m, 'readonly') ?? false,
      propagation: readString(bind, 'propagation') ?? '',
      tmpfsSize: readInt(tmpfs, 'size') ?? 0,
      tmpfsMode: readInt(tmpfs, 'mode') ?? 0,
      volumeLabels: readStringMap(vol, 'labels'),
      volumeNoCopy: readBool(vol, 'no_copy') ?? false,
      volumeDriver: readString(drv, 'name') ?? '',
      volumeDriverOptions: readStringMap(drv, 'options'),
    };
  });
  const ulimits = Object.entries(readStringMap(c, 'ulimit')).map(([name, v]) => {
    const [soft, hard] = v.split(':').map(Number);
    return { name, soft: soft ?? 0, hard: hard ?? soft ?? 0 };
  });
  return {
    image: (readString(c, 'image') ?? '').replace(/^https:\/\//, ''),
    command: readString(c, 'command') ?? '',
    args: readStringList(c, 'args') ?? [],
    entrypoint: readStringList(c, 'entrypoint'),
    workDir: readString(c, 'work_dir') ?? '',
    auth: auth
      ? { username: readString(auth, 'username') ?? '', password: readString(auth, 'password') ?? '', email: readString(auth, 'email') ?? '', serverAddress: readString(auth, 'server_address') ?? '' }
      : undefined,
    authSoftFail: readBool(c, 'auth_soft_fail') ?? false,
    forcePull: readBool(c, 'force_pull') ?? false,
    imagePullTimeoutMs: readDurationMs(c, 'image_pull_timeout'),
    ports: readStringList(c, 'ports') ?? [],
    networkMode: readString(c, 'network_mode') ?? '',
    networkAliases: readStringList(c, 'network_aliases') ?? [],
    hostname: readString(c, 'hostname') ?? '',
    dnsServers: readStringList(c, 'dns_servers') ?? [],
    dnsSearchDomains: readStringList(c, 'dns_search_domains') ?? [],
    dnsOptions: readStringList(c, 'dns_options') ?? [],
    extraHosts: readStringList(c, 'extra_hosts') ?? [],
    labels: readStringMap(c, 'labels'),
    volumes: readStringList(c, 'volumes') ?? [],
    volumeDriver: readString(c, 'volume_driver') ?? '',
    mounts,
    devices: readBlockList(c, 'devices').map((d) => ({
      hostPath: readString(d, 'host_path') ?? '',
      containerPath: readString(d, 'container_path') ?? readString(d, 'host_path') ?? '',
      permissions: readString(d, 'cgroup_permissions') ?? 'rwm',
    })),
    privileged: readBool(c, 'privileged') ?? false,
    capAdd: (readStringList(c, 'cap_add') ?? []).map(normalizeCap),
    capDrop: (readStringList(c, 'cap_drop') ?? []).map(normalizeCap),
    securityOpt: readStringList(c, 'security_opt') ?? [],
    ulimits,
    init: readBool(c, 'init') ?? false,
    tty: readBool(c, 'tty') ?? false,
    interactive: readBool(c, 'interactive') ?? false,
    logging: logging ? { type: readString(logging, 'type') ?? readString(logging, 'driver') ?? '', config: readStringMap(logging, 'config') } : undefined,
    memoryHardLimitMB: readInt(c, 'memory_hard_limit') ?? 0,
    cpuHardLimit: readBool(c, 'cpu_hard_limit') ?? false,
    cpuCfsPeriod: readInt(c, 'cpu_cfs_period') ?? 100_000,
    cpusetCpus: readString(c, 'cpuset_cpus') ?? '',
    pidsLimit: readInt(c, 'pids_limit') ?? 0,
    pidMode: readString(c, 'pid_mode') ?? '',
    ipcMode: readString(c, 'ipc_mode') ?? '',
    utsMode: readString(c, 'uts_mode') ?? '',
    usernsMode: readString(c, 'userns_mode') ?? '',
    readonlyRootfs: readBool(c, 'readonly_rootfs') ?? false,
    runtime: readString(c, 'runtime') ?? '',
    shmSize: readInt(c, 'shm_size') ?? 0,
    sysctl: readStringMap(c, 'sysctl'),
    storageOpt: readStringMap(c, 'storage_opt'),
    groupAdd: readStringList(c, 'group_add') ?? [],
    oomScoreAdj: readInt(c, 'oom_score_adj') ?? 0,
    macAddress: readString(c, 'mac_address') ?? '',
    ipv4Address: readString(c, 'ipv4_address') ?? '',
    ipv6Address: readString(c, 'ipv6_address') ?? '',
    healthchecksDisabled: readBool(readBlock(c, 'healthchecks') ?? {}, 'disable') ?? false,
  };
}

/** `repo[:tag]` or `repo@digest` split as Docker does (a port in the registry host is not a tag). */
export function parseImageRef(image: string): { repo: string; tag: string; digest: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { repo: image.slice(0, at), tag: '', digest: image.slice(at + 1) };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { repo: image.slice(0, colon), tag: image.slice(colon + 1), digest: '' };
  return { repo: image, tag: 'latest', digest: '' };
}
