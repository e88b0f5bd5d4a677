// Reads agent configuration files, HCL (native syntax, read with Roam's HCL parser) or JSON.
// `-config` may name files or directories (whose *.hcl and *.json files are read in lexical order),
// merged in the order given, as Nomad does. Both syntaxes become the same plain value, which is
// decoded against the schema of Nomad's agent config; unknown settings (with a did-you-mean
// suggestion), wrong types and bad values are reported all at once. HCL problems carry
// file:line:col with the source line and a caret; JSON problems name the file and key path.
// Configuration is data: expressions may not reference variables or call functions.
import fs from 'node:fs';
import path from 'node:path';
import { bodyToValue, didYouMean, errorDiag, formatDiagnostic, hasErrors, parseHCL, type Diagnostic, type Expression, type Range } from '../jobspec/hcl/index.js';
import { NativeBody } from '../jobspec/hcl/native-body.js';
import { parseBytes, parseExtraPath } from '../client/artifacts/config.js';
import { parseDuration } from '../structs/duration.js';
import { parseLogLevel } from '../structs/logger.js';
import type { AgentConfig, DeepPartial, PluginConfig } from './config.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** One mistake in a configuration value, at a dotted key path ("server.enabled"). */
interface Problem {
  at: string;
  kind: 'unknown' | 'type' | 'value';
  message: string;
  /** For unknown settings: the setting that was probably meant. */
  suggestion?: string | undefined;
}

type Decoder = (v: unknown, at: string, problems: Problem[]) => unknown;

const wrongType = (p: Problem[], at: string, message: string): undefined => void p.push({ at, kind: 'type', message });
const badValue = (p: Problem[], at: string, message: string): undefined => void p.push({ at, kind: 'value', message });

const str: Decoder = (v, at, p) => (typeof v === 'string' ? v : wrongType(p, at, `expected a string, got ${describe(v)}`));
const bool: Decoder = (v, at, p) => (typeof v === 'boolean' ? v : v === 'true' || v === 'false' ? v === 'true' : wrongType(p, at, `expected true or false, got ${describe(v)}`));
const int: Decoder = (v, at, p) => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : wrongType(p, at, `expected a whole number, got ${describe(v)}`));
const strList: Decoder = (v, at, p) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : wrongType(p, at, `expected a list of strings, got ${describe(v)}`));
const strMap: Decoder = (v, at, p) => {
  const o = unwrapBlock(v);
  if (!isObj(o)) return wrongType(p, at, `expected a map of strings, got ${describe(v)}`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else wrongType(p, `${at}.${k}`, `expected a string, got ${describe(x)}`);
  }
  return out;
};
/** A Go duration string ("10s"), stored in milliseconds. */
const durationMs: Decoder = (v, at, p) => {
  if (typeof v !== 'string') return wrongType(p, at, `expected a duration such as "10s", got ${describe(v)}`);
  try {
    return parseDuration(v) / 1_000_000;
  } catch (err) {
    return badValue(p, at, (err as Error).message);
  }
};
/** A size as go-humanize reads it ("100GB", "512MiB", "4096"), stored in bytes. */
const bytes: Decoder = (v, at, p) => {
  if (typeof v !== 'string' && typeof v !== 'number') return wrongType(p, at, `expected a size such as "100GB", got ${describe(v)}`);
  try {
    return parseBytes(String(v));
  } catch (err) {
    return badValue(p, at, (err as Error).message);
  }
};
/** filesystem_isolation_extra_paths: "[f|d]:[rwcx]:/path" entries. */
const extraPaths: Decoder = (v, at, p) => {
  const list = strList(v, at, p);
  if (!Array.isArray(list)) return undefined;
  for (const e of list as string[]) {
    try {
      parseExtraPath(e);
    } catch (err) {
      return badValue(p, at, (err as Error).message);
    }
  }
  return list;
};
const logLevel: Decoder = (v, at, p) => {
  const s = str(v, at, p);
  if (typeof s !== 'string') return undefined;
  const l = parseLogLevel(s);
  if (!l) badValue(p, at, `unknown log level ${JSON.stringify(s)}; expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF`);
  return l;
};

function block(fields: Record<string, [string, Decoder]>): Decoder {
  return (v, at, p) => {
    const o = unwrapBlock(v);
    if (!isObj(o)) return wrongType(p, at, `expected a block, got ${describe(v)}`);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      const f = fields[k];
      if (!f) {
        p.push({ at: at ? `${at}.${k}` : k, kind: 'unknown', message: 'unknown setting', suggestion: didYouMean(k, Object.keys(fields)) });
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
      wrongType(p, at, 'expected plugin "NAME" { config { … } } blocks');
      continue;
    }
    for (const [name, body] of Object.entries(e)) {
      const b = unwrapBlock(body);
      if (!isObj(b)) {
        wrongType(p, `${at}.${name}`, 'expected a block');
        continue;
      }
      const cfg = b['config'] === undefined ? {} : unwrapBlock(b['config']);
      for (const k of Object.keys(b)) {
        if (k !== 'config' && k !== 'args') p.push({ at: `${at}.${name}.${k}`, kind: 'unknown', message: 'unknown setting; a plugin block holds "config" (and "args")', suggestion: didYouMean(k, ['config', 'args']) });
      }
      if (!isObj(cfg)) wrongType(p, `${at}.${name}.config`, 'expected a block');
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
      artifact: [
        'artifact',
        block({
          http_read_timeout: ['httpReadTimeoutMs', durationMs],
          http_max_size: ['httpMaxBytes', bytes],
          git_timeout: ['gitTimeoutMs', durationMs],
          gcs_timeout: ['gcsTimeoutMs', durationMs],
          hg_timeout: ['hgTimeoutMs', durationMs],
          s3_timeout: ['s3TimeoutMs', durationMs],
          decompression_file_count_limit: ['decompressionFileCountLimit', int],
          decompression_size_limit: ['decompressionSizeLimit', bytes],
          disable_filesystem_isolation: ['disableFilesystemIsolation', bool],
          filesystem_isolation_extra_paths: ['filesystemIsolationExtraPaths', extraPaths],
          set_environment_variables: ['setEnvironmentVariables', str],
        }),
      ],
      template: [
        'template',
        block({
          wait: ['wait', block({ min: ['minMs', durationMs], max: ['maxMs', durationMs] })],
          wait_bounds: ['waitBounds', block({ min: ['minMs', durationMs], max: ['maxMs', durationMs] })],
        }),
      ],
    }),
  ],
  plugin: ['plugins', plugins],
  ui: ['ui', block({ enabled: ['enabled', bool] })],
  acl: ['acl', block({ enabled: ['enabled', bool] })],
});

/** Decodes one parsed configuration value; problems name the file and the key path (JSON files). */
export function decodeAgentConfig(value: unknown, file: string): DeepPartial<AgentConfig> {
  const problems: Problem[] = [];
  const out = schema(value, '', problems);
  if (problems.length) throw new ConfigError(problems.map((p) => `${file}: ${p.at}: ${p.message}${p.suggestion === undefined ? '' : `; did you mean "${p.suggestion}"?`}`));
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
  if (file.endsWith('.hcl')) return decodeHCLAgentConfig(text, file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`${file}: invalid JSON: ${(err as Error).message}`]);
  }
  return decodeAgentConfig(value, file);
}

/** Where a key path was written in an HCL file: an argument (name and value) or a block (type or label). */
interface Written {
  block: boolean;
  name: Range;
  value: Range;
}

/**
 * Decodes an HCL agent configuration. Blocks become lists of objects (labels as nested keys), the
 * same value the equivalent JSON file gives, so one schema serves both; problems are positioned.
 */
export function decodeHCLAgentConfig(text: string, file: string): DeepPartial<AgentConfig> {
  const parsed = parseHCL(text, file);
  const render = (diags: Diagnostic[]): ConfigError => new ConfigError(diags.map((d) => formatDiagnostic(d, text)));
  if (hasErrors(parsed.diagnostics)) throw render(parsed.diagnostics.filter((d) => d.severity === 'error'));
  const body = parsed.file.body;
  const { value, diagnostics } = bodyToValue(body, { variables: {}, functions: {}, functionContext: { baseDir: path.dirname(file), allowFS: false, now: () => new Date(0) } });
  if (hasErrors(diagnostics)) throw render(diagnostics.filter((d) => d.severity === 'error'));
  const problems: Problem[] = [];
  const out = schema(value, '', problems);
  if (problems.length === 0) return out as DeepPartial<AgentConfig>;
  const written = new Map<string, Written>();
  if (body instanceof NativeBody) recordPositions(body, '', written);
  throw render(problems.map((p) => problemDiagnostic(p, written.get(p.at), body.missingItemRange)));
}

function problemDiagnostic(p: Problem, where: Written | undefined, fallback: Range): Diagnostic {
  const leaf = p.at.slice(p.at.lastIndexOf('.') + 1);
  if (p.kind === 'unknown') {
    const suffix = p.suggestion === undefined ? '' : ` Did you mean "${p.suggestion}"?`;
    return where?.block
      ? errorDiag('Unsupported block type', `Blocks of type "${leaf}" are not expected here.${suffix}`, where.name)
      : errorDiag('Unsupported argument', `An argument named "${leaf}" is not expected here.${suffix}`, where?.name ?? fallback);
  }
  const subject = where === undefined ? fallback : where.block ? where.name : where.value;
  if (p.kind === 'type') return errorDiag('Incorrect attribute value type', `Inappropriate value for "${leaf}": ${p.message}.`, subject);
  return errorDiag('Invalid value', `Invalid value for "${leaf}": ${p.message}.`, subject);
}

function keyOf(key: Expression): string | undefined {
  if (key.kind === 'literal' && typeof key.value === 'string') return key.value;
  if (key.kind === 'traversal' && key.steps.length === 0) return key.root;
  if (key.kind === 'template' && key.parts.length === 1 && key.parts[0]?.kind === 'lit') return key.parts[0].value;
  return undefined;
}

/** Records where each key path of the body was written, for positioning problems. */
function recordPositions(body: NativeBody, prefix: string, out: Map<string, Written>): void {
  const join = (name: string): string => (prefix === '' ? name : `${prefix}.${name}`);
  for (const attr of body.attributes.values()) {
    recordExpression(attr.expr, join(attr.name), { block: false, name: attr.nameRange, value: attr.expr.range }, out);
  }
  for (const block of body.blocks) {
    let at = join(block.type);
    if (!out.has(at)) out.set(at, { block: true, name: block.typeRange, value: block.defRange });
    block.labels.forEach((label, i) => {
      at = `${at}.${label}`;
      const r = block.labelRanges[i] ?? block.typeRange;
      if (!out.has(at)) out.set(at, { block: true, name: r, value: r });
    });
    recordPositions(block.body, at, out);
  }
}

function recordExpression(expr: Expression, at: string, here: Written, out: Map<string, Written>): void {
  if (!out.has(at)) out.set(at, here);
  if (expr.kind !== 'object') return;
  for (const item of expr.items) {
    const k = keyOf(item.key);
    if (k !== undefined) recordExpression(item.value, `${at}.${k}`, { block: false, name: item.key.range, value: item.value.range }, out);
  }
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
