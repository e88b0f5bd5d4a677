// The agent's configuration: Nomad's agent config (the same names, snake_case in files) with
// Nomad's defaults, dev-mode overrides, and merging in Nomad's order — defaults, then -dev, then
// each -config file in order, then command-line flags. Reading files is config-file.ts's job.
import { DEFAULT_ARTIFACT_CONFIG, type ArtifactConfig } from '../client/artifacts/config.js';
import type { LogLevel } from '../structs/logger.js';
import { parseGoBool } from '../structs/strconv.js';

export interface PluginConfig {
  config: Record<string, unknown>;
}

export interface AgentConfig {
  region: string;
  datacenter: string;
  /** Node name; defaults to the hostname. */
  name: string;
  /** Empty in dev mode: nothing persists. */
  dataDir: string;
  bindAddr: string;
  logLevel: LogLevel;
  logJson: boolean;
  ports: { http: number; rpc: number; serf: number };
  addresses: { http: string };
  advertise: { http: string };
  server: {
    enabled: boolean;
    bootstrapExpect: number;
    numSchedulers: number;
    /** Longest accepted request body, in bytes. */
    maxRequestBytes: number;
    /** Heartbeat tuning in ms (Nomad's min_heartbeat_ttl, heartbeat_grace, failover_heartbeat_ttl). */
    minHeartbeatTTL: number;
    heartbeatGrace: number;
    maxHeartbeatsPerSecond: number;
    failoverHeartbeatTTL: number;
    /** GC thresholds in ms (Nomad's job_gc_threshold, eval_gc_threshold, …). */
    jobGCThreshold: number;
    evalGCThreshold: number;
    batchEvalGCThreshold: number;
    nodeGCThreshold: number;
    deploymentGCThreshold: number;
    jobGCInterval: number;
  };
  client: {
    enabled: boolean;
    servers: string[];
    nodeClass: string;
    nodePool: string;
    meta: Record<string, string>;
    networkInterface: string;
    options: Record<string, string>;
    minDynamicPort: number;
    maxDynamicPort: number;
    stateDir: string;
    allocDir: string;
    /** The `artifact { … }` block: download limits and what the downloader may read. */
    artifact: ArtifactConfig;
    /** The `template { wait { min max } wait_bounds { min max } }` block, in milliseconds. */
    template: { wait?: { minMs?: number; maxMs?: number }; waitBounds?: { minMs?: number; maxMs?: number } };
  };
  plugins: Record<string, PluginConfig>;
  ui: { enabled: boolean };
  acl: { enabled: boolean };
  devMode: boolean;
  /** Config files and directories that were loaded, in order. */
  files: string[];
}

export type DeepPartial<T> = { [K in keyof T]?: (T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K]) | undefined };

export function defaultConfig(hostname: string): AgentConfig {
  return {
    region: 'global',
    datacenter: 'dc1',
    name: hostname,
    dataDir: '',
    bindAddr: '0.0.0.0',
    logLevel: 'INFO',
    logJson: false,
    ports: { http: 4646, rpc: 4647, serf: 4648 },
    addresses: { http: '' },
    advertise: { http: '' },
    server: {
      enabled: false,
      bootstrapExpect: 0,
      numSchedulers: 0,
      maxRequestBytes: 16 * 1024 * 1024,
      minHeartbeatTTL: 10_000,
      heartbeatGrace: 10_000,
      maxHeartbeatsPerSecond: 50,
      failoverHeartbeatTTL: 300_000,
      jobGCThreshold: 4 * 3_600_000,
      evalGCThreshold: 3_600_000,
      batchEvalGCThreshold: 24 * 3_600_000,
      nodeGCThreshold: 24 * 3_600_000,
      deploymentGCThreshold: 3_600_000,
      jobGCInterval: 5 * 60_000,
    },
    client: {
      enabled: false,
      servers: [],
      nodeClass: '',
      nodePool: 'default',
      meta: {},
      networkInterface: '',
      options: {},
      minDynamicPort: 20000,
      maxDynamicPort: 32000,
      stateDir: '',
      allocDir: '',
      artifact: { ...DEFAULT_ARTIFACT_CONFIG, filesystemIsolationExtraPaths: [] },
      template: {},
    },
    plugins: {},
    ui: { enabled: true },
    acl: { enabled: false },
    devMode: false,
    files: [],
  };
}

/** What `-dev` changes (Nomad's DevConfig): both roles, loopback, debug logs, raw_exec enabled. */
export function devOverrides(): DeepPartial<AgentConfig> {
  return {
    bindAddr: '127.0.0.1',
    logLevel: 'DEBUG',
    devMode: true,
    server: { enabled: true, bootstrapExpect: 1 },
    client: { enabled: true, networkInterface: 'lo', options: { 'driver.raw_exec.enable': 'true', 'driver.docker.volumes': 'true' } },
  };
}

/** Merges `over` into `base` (a new object). Objects merge key by key; arrays and scalars replace. */
export function mergeConfig<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    if (v === undefined) continue;
    const cur = out[k];
    if (isPlain(v) && isPlain(cur)) out[k] = mergeConfig(cur, v as DeepPartial<typeof cur>);
    else out[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  return out as T;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The address the HTTP API listens on: addresses.http, else bind_addr. */
export function httpBindAddr(c: AgentConfig): string {
  return c.addresses.http || c.bindAddr;
}

/** The address other agents and the CLI hints use: advertise.http, else the bind address (0.0.0.0 → 127.0.0.1). */
export function httpAdvertiseAddr(c: AgentConfig, boundPort: number): string {
  if (c.advertise.http) return c.advertise.http.includes(':') ? c.advertise.http : `${c.advertise.http}:${boundPort}`;
  const host = httpBindAddr(c);
  return `${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${boundPort}`;
}

export function pluginEnabled(c: AgentConfig, driver: string): boolean {
  const cfg = c.plugins[driver]?.config;
  if (cfg && typeof cfg['enabled'] === 'boolean') return cfg['enabled'];
  const legacy = c.client.options[`driver.${driver}.enable`];
  return legacy !== undefined && parseGoBool(legacy) === true;
}
