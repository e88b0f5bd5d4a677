// Reads agent configuration files. `-config` may name files or directories (whose *.json files are
// read in lexical order), merged in the order given, as Nomad does. Files are decoded against the
// schema of Nomad's agent config; unknown keys and wrong types are reported all at once, with the
// file and the key path, and a suggestion for misspellings.
import fs from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../structs/duration.js';
import { parseLogLevel } from '../structs/logger.js';
import type { AgentConfig, DeepPartial, PluginConfig } from './config.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

type Decoder = (v: unknown, at: string, problems: string[]) => unknown;

const str: Decoder = (v, at, p) => (typeof v === 'string' ? v : (p.push(`${at}: expected a string, got ${describe(v)}`), undefined));
const bool: Decoder = (v, at, p) => (typeof v === 'boolean' ? v : v === 'true' || v === 'false' ? v === 'true' : (p.push(`${at}: expected true or false, got ${describe(v)}`), undefined));
const int: Decoder = (v, at, p) => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (p.push(`${at}: expected a whole number, got ${describe(v)}`), undefined));
const strList: Decoder = (v, at, p) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : (p.push(`${at}: expected a list of strings, got ${describe(v)}`), undefined));
const strMap: Decoder = (v, at, p) => {
  const o = unwrapBlock(v);
  if (!isObj(o)) return p.push(`${at}: expected a map of strings, got ${describe(v)}`), undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else p.push(`${at}.${k}: expected a string, got ${describe(x)}`);
  }
  return out;
};
/** A Go duration string ("10s"), stored in milliseconds. */
const durationMs: Decoder = (v, at, p) => {
  if (typeof v !== 'string') return p.push(`${at}: expected a duration such as "10s", got ${describe(v)}`), undefined;
  try {
    return parseDuration(v) / 1_000_000;
  } catch (err) {
    return p.push(`${at}: ${(err as Error).message}`), undefined;
  }
};
const logLevel: Decoder = (v, at, p) => {
  const s = str(v, at, p);
  if (typeof s !== 'string') return undefined;
  const l = parseLogLevel(s);
  if (!l) p.push(`${at}: unknown log level ${JSON.stringify(s)}; expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF`);
  return l;
};

function block(fields: Record<string, [string, Decoder]>): Decoder {
  return (v, at, p) => {
    const o = unwrapBlock(v);
    if (!isObj(o)) return p.push(`${at}: expected a block, got ${describe(v)}`), undefined;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      const f = fields[k];
      if (!f) {
        const hint = suggest(k, Object.keys(fields));
        p.push(`${at ? `${at}.` : ''}${k}: unknown setting${hint ? `; did you mean "${hint}"?` : ''}`);
        continue;
      }
      const val = f[1](x, at ? `${at}.${k}` : k, p);
      if (val !== undefined) out[f[0]] = val;
    }
    return out;
  };
}

const plugins: Decoder = (v, at, p) => {
  // HCL JSON: {"plugin": {"raw_exec": {"config": {...}}}} or {"plugin": [{"raw_exec": [{"config": [{...}]}]}]}
  const out: Record<string, PluginConfig> = {};
  const entries = Array.isArray(v) ? v : [v];
  for (const e of entries) {
    if (!isObj(e)) {
      p.push(`${at}: expected plugin "NAME" { config { … } } blocks`);
      continue;
    }
    for (const [name, body] of Object.entries(e)) {
      const b = unwrapBlock(body);
      if (!isObj(b)) {
        p.push(`${at}.${name}: expected a block`);
        continue;
      }
      const cfg = b['config'] === undefined ? {} : unwrapBlock(b['config']);
      for (const k of Object.keys(b)) if (k !== 'config' && k !== 'args') p.push(`${at}.${name}.${k}: unknown setting; a plugin block holds "config" (and "args")`);
      if (!isObj(cfg)) p.push(`${at}.${name}.config: expected a block`);
      else out[name] = { config: cfg };
    }
  }
  return out;
};

const schema = block({
  region: ['region', str],
  datacenter: ['datacenter', str],
  name: ['name', str],
  data_dir: ['dataDir', str],
  bind_addr: ['bindAddr', str],
  log_level: ['logLevel', logLevel],
  log_json: ['logJson', bool],
  ports: ['ports', block({ http: ['http', int], rpc: ['rpc', int], serf: ['serf', int] })],
  addresses: ['addresses', block({ http: ['http', str], rpc: ['rpc', str], serf: ['serf', str] })],
  advertise: ['advertise', block({ http: ['http', str], rpc: ['rpc', str], serf: ['serf', str] })],
  server: [
    'server',
    block({
      enabled: ['enabled', bool],
      bootstrap_expect: ['bootstrapExpect', int],
      num_schedulers: ['numSchedulers', int],
      max_request_bytes: ['maxRequestBytes', int],
      min_heartbeat_ttl: ['minHeartbeatTTL', durationMs],
      heartbeat_grace: ['heartbeatGrace', durationMs],
      max_heartbeats_per_second: ['maxHeartbeatsPerSecond', int],
      failover_heartbeat_ttl: ['failoverHeartbeatTTL', durationMs],
      job_gc_threshold: ['jobGCThreshold', durationMs],
      eval_gc_threshold: ['evalGCThreshold', durationMs],
      batch_eval_gc_threshold: ['batchEvalGCThreshold', durationMs],
      node_gc_threshold: ['nodeGCThreshold', durationMs],
      deployment_gc_threshold: ['deploymentGCThreshold', durationMs],
      job_gc_interval: ['jobGCInterval', durationMs],
    }),
  ],
  client: [
    'client',
    block({
      enabled: ['enabled', bool],
      servers: ['servers', strList],
      node_class: ['nodeClass', str],
      node_pool: ['nodePool', str],
      meta: ['meta', strMap],
      network_interface: ['networkInterface', str],
      options: ['options', strMap],
      min_dynamic_port: ['minDynamicPort', int],
      max_dynamic_port: ['maxDynamicPort', int],
      state_dir: ['stateDir', str],
      alloc_dir: ['allocDir', str],
    }),
  ],
  plugin: ['plugins', plugins],
  ui: ['ui', block({ enabled: ['enabled', bool] })],
  acl: ['acl', block({ enabled: ['enabled', bool] })],
});

/** Decodes one parsed configuration value (from JSON, or HCL turned into data). */
export function decodeAgentConfig(value: unknown, file: string): DeepPartial<AgentConfig> {
  const problems: string[] = [];
  const out = schema(value, '', problems);
  if (problems.length) throw new ConfigError(problems.map((p) => `${file}: ${p}`));
  return out as DeepPartial<AgentConfig>;
}

/** Expands -config arguments into the files to read, in order. */
export function configFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new ConfigError([`${p}: no such file or directory`]);
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (/\.(json|hcl)$/.test(name)) files.push(path.join(p, name));
    } else files.push(p);
  }
  return files;
}

export function readConfigFile(file: string): DeepPartial<AgentConfig> {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.hcl')) {
    throw new ConfigError([`${file}: HCL agent configuration is read once Roam's HCL parser is wired into the agent; write this file as JSON (${path.basename(file, '.hcl')}.json) with the same keys`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`${file}: invalid JSON: ${(err as Error).message}`]);
  }
  return decodeAgentConfig(value, file);
}

function unwrapBlock(v: unknown): unknown {
  // HCL JSON allows a block to be an object or a list of one object.
  return Array.isArray(v) && v.length === 1 && isObj(v[0]) ? v[0] : v;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a block' : `${typeof v} ${JSON.stringify(v)}`;
}

function suggest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] ?? 0;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] ?? 0;
      dp[j] = Math.min((dp[j] ?? 0) + 1, (dp[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length] ?? 0;
}
