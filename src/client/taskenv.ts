// The task environment (Nomad's client/taskenv): the NOMAD_* variables a task sees, the node
// variables `${node.*}`, `${attr.*}` and `${meta.*}`, `${…}` interpolation of env values, args and
// the driver config, and Nomad's merge order. Pure: the host environment, node, allocation and
// directories are handed in; it never reads process.env itself.
import type { Allocation } from '../structs/alloc.js';
import { shortId } from '../structs/ids.js';
import { allocIndexFromName, combinedTaskMeta, lookupTaskGroup, type Task } from '../structs/job.js';
import type { Node } from '../structs/node.js';
import type { AllocatedPortMapping } from '../structs/resources.js';
import type { DriverCapabilities, TaskDirs } from '../drivers/driver.js';

/** Host variables never passed to tasks (Nomad's client DefaultEnvDenylist). */
export const DEFAULT_ENV_DENYLIST: readonly string[] = [
  'CONSUL_TOKEN',
  'CONSUL_HTTP_TOKEN',
  'CONSUL_LICENSE',
  'VAULT_TOKEN',
  'NOMAD_LICENSE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'GOOGLE_APPLICATION_CREDENTIALS',
];

/** Key prefixes whose invalid characters Nomad replaces with `_` (helper.CleanEnvVar). */
const CLEANED_PREFIXES = ['NOMAD_ADDR_', 'NOMAD_IP_', 'NOMAD_PORT_', 'NOMAD_HOST_PORT_', 'NOMAD_META_'];

export function cleanEnvVar(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key.charAt(i);
    out += /[A-Za-z_.]/.test(c) || (i > 0 && /[0-9]/.test(c)) ? c : '_';
  }
  return out;
}

const VAR_RE = /\$\{[a-zA-Z0-9_\-.]+\}/g;

/** Replaces `${name}` from the first map that has it; unknown names stay literal (helper/args.ReplaceEnv). */
export function replaceEnv(s: string, ...maps: Record<string, string>[]): string {
  return s.replace(VAR_RE, (m) => {
    const name = m.slice(2, -1);
    for (const map of maps) {
      const v = map[name];
      if (v !== undefined) return v;
    }
    return m;
  });
}

/** The `${node.*}` / `${attr.*}` / `${meta.*}` variables of a node (Nomad's setNode). */
export function nodeVariables(node: Node, region: string): Record<string, string> {
  const out: Record<string, string> = {
    'node.unique.id': node.ID,
    'node.unique.name': node.Name,
    'node.datacenter': node.Datacenter,
    'node.region': region,
    'node.class': node.NodeClass,
    'node.pool': node.NodePool,
  };
  for (const [k, v] of Object.entries(node.Attributes)) {
    out[`attr.${k}`] = v;
    out[`node.attr.${k}`] = v;
  }
  for (const [k, v] of Object.entries(node.Meta)) {
    out[`meta.${k}`] = v;
    out[`node.meta.${k}`] = v;
  }
  return out;
}

/** A set of CPU core IDs as Nomad's idset prints it: "0-3,5". */
export function formatCoreSet(cores: readonly number[]): string {
  const sorted = [...new Set(cores)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The per-label port variables of group ports (Nomad's addPorts). */
export function portEnv(ports: readonly AllocatedPortMapping[]): Record<string, string> {
  const m: Record<string, string> = {};
  for (const p of ports) {
    const addr = joinHostPort(p.HostIP, p.Value);
    m[`NOMAD_ADDR_${p.Label}`] = addr;
    m[`NOMAD_HOST_ADDR_${p.Label}`] = addr;
    m[`NOMAD_IP_${p.Label}`] = p.HostIP;
    m[`NOMAD_HOST_IP_${p.Label}`] = p.HostIP;
    const inTask = String(p.To > 0 ? p.To : p.Value);
    m[`NOMAD_PORT_${p.Label}`] = inTask;
    m[`NOMAD_ALLOC_PORT_${p.Label}`] = inTask;
    m[`NOMAD_HOST_PORT_${p.Label}`] = String(p.Value);
  }
  return m;
}

/** Where the task sees its directories: host paths without isolation, fixed paths inside a chroot or image. */
export function taskDirEnv(fsIsolation: DriverCapabilities['fsIsolation'], dirs: TaskDirs): Record<string, string> {
  if (fsIsolation === 'none') return { NOMAD_ALLOC_DIR: dirs.sharedAllocDir, NOMAD_TASK_DIR: dirs.localDir, NOMAD_SECRETS_DIR: dirs.secretsDir };
  return { NOMAD_ALLOC_DIR: '/alloc', NOMAD_TASK_DIR: '/local', NOMAD_SECRETS_DIR: '/secrets' };
}

/** The finished environment of one task start: its variables and the node variables for interpolation. */
export class TaskEnv {
  constructor(
    readonly env: Readonly<Record<string, string>>,
    readonly nodeVars: Readonly<Record<string, string>>,
  ) {}

  /** Interpolates `${…}` in a string: task variables first, then node variables (TaskEnv.ReplaceEnv). */
  replace(s: string): string {
    return replaceEnv(s, this.env, this.nodeVars);
  }

  /** Interpolates every string inside a driver config (maps, lists, nested blocks); other values pass through. */
  replaceDeep<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.replace(v);
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, this.walk(x)]));
    return v;
  }
}

/**
 * Builds a task's environment in Nomad's merge order (later wins): built-in NOMAD_* variables,
 * task meta (NOMAD_META_*), the host environment (drivers without filesystem isolation only,
 * filtered by the denylist, never overriding what is set), the task's `env` block, hook
 * environments in hook order, and template `env = true` output last.
 */
export class TaskEnvBuilder {
  private dirEnv: Record<string, string> = {};
  private hostEnv: Record<string, string> = {};
  private readonly hookEnvs = new Map<string, Record<string, string>>();
  private templateEnv: Record<string, string> = {};

  constructor(
    private node: Node,
    private alloc: Allocation,
    private readonly task: Task,
    private readonly region: string,
  ) {}

  setNode(node: Node): this {
    this.node = node;
    return this;
  }

  setAlloc(alloc: Allocation): this {
    this.alloc = alloc;
    return this;
  }

  /** NOMAD_ALLOC_DIR / NOMAD_TASK_DIR / NOMAD_SECRETS_DIR for the driver's isolation. */
  setTaskDirs(fsIsolation: DriverCapabilities['fsIsolation'], dirs: TaskDirs): this {
    this.dirEnv = taskDirEnv(fsIsolation, dirs);
    return this;
  }

  /** The agent's environment minus the denylist; the task's own env block always wins over it. */
  setHostEnv(env: Record<string, string | undefined>, denylist: readonly string[] = DEFAULT_ENV_DENYLIST): this {
    const deny = new Set(denylist);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined && !deny.has(k)) out[k] = v;
    this.hostEnv = out;
    return this;
  }

  setHookEnv(hook: string, env: Record<string, string>): this {
    this.hookEnvs.set(hook, env);
    return this;
  }

  setTemplateEnv(env: Record<string, string>): this {
    this.templateEnv = { ...env };
    return this;
  }

  /** The built-in NOMAD_* variables (no meta, no host or task env). */
  builtins(): Record<string, string> {
    const a = this.alloc;
    const job = a.Job;
    const env: Record<string, string> = { ...this.dirEnv };
    const tr = a.AllocatedResources?.Tasks[this.task.Name];
    if (tr) {
      if (tr.Cpu.CpuShares) env['NOMAD_CPU_LIMIT'] = String(tr.Cpu.CpuShares);
      if (tr.Memory.MemoryMB) env['NOMAD_MEMORY_LIMIT'] = String(tr.Memory.MemoryMB);
      if (tr.Memory.MemoryMaxMB) env['NOMAD_MEMORY_MAX_LIMIT'] = String(tr.Memory.MemoryMaxMB);
      if (tr.Cpu.ReservedCores?.length) env['NOMAD_CPU_CORES'] = formatCoreSet(tr.Cpu.ReservedCores);
    }
    env['NOMAD_ALLOC_ID'] = a.ID;
    env['NOMAD_SHORT_ALLOC_ID'] = shortId(a.ID);
    env['NOMAD_ALLOC_NAME'] = a.Name;
    env['NOMAD_ALLOC_INDEX'] = String(allocIndexFromName(a.Name));
    env['NOMAD_GROUP_NAME'] = a.TaskGroup;
    env['NOMAD_TASK_NAME'] = this.task.Name;
    if (job) {
      env['NOMAD_JOB_ID'] = job.ID;
      env['NOMAD_JOB_NAME'] = job.Name;
      if (job.ParentID) env['NOMAD_JOB_PARENT_ID'] = job.ParentID;
    }
    if (this.node.Datacenter) env['NOMAD_DC'] = this.node.Datacenter;
    if (a.Namespace) env['NOMAD_NAMESPACE'] = a.Namespace;
    if (this.region) env['NOMAD_REGION'] = this.region;
    Object.assign(env, portEnv(a.AllocatedResources?.Shared.Ports ?? []));
    return env;
  }

  /** NOMAD_META_<key> and NOMAD_META_<KEY> for the job+group+task meta, values interpolated. */
  metaEnv(nodeVars: Record<string, string>, base: Record<string, string>): Record<string, string> {
    const job = this.alloc.Job;
    const group = job ? lookupTaskGroup(job, this.alloc.TaskGroup) : undefined;
    const meta = job && group ? combinedTaskMeta(job, group, this.task) : { ...(this.task.Meta ?? {}) };
    // Dispatched jobs see every optional meta key, set to "" when not given.
    for (const k of job?.Dispatched ? (job.ParameterizedJob?.MetaOptional ?? []) : []) if (!(k in meta)) meta[k] = '';
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta)) {
      const val = replaceEnv(v, base, nodeVars);
      out[`NOMAD_META_${k}`] = val;
      out[`NOMAD_META_${k.toUpperCase()}`] = val;
    }
    return out;
  }

  build(): TaskEnv {
    const nodeVars = nodeVariables(this.node, this.region);
    const env = this.builtins();
    Object.assign(env, this.metaEnv(nodeVars, env));
    const taskEnv = this.task.Env ?? {};
    for (const [k, v] of Object.entries(this.hostEnv)) if (!(k in env) && !(k in taskEnv)) env[k] = v;
    // The task's env block sees the built-ins, meta and host env (and node variables).
    const snapshot = { ...env };
    for (const [k, v] of Object.entries(taskEnv)) env[k] = replaceEnv(v, snapshot, nodeVars);
    for (const hookEnv of this.hookEnvs.values()) {
      const snap = { ...env };
      for (const [k, v] of Object.entries(hookEnv)) env[k] = replaceEnv(v, nodeVars, snap);
    }
    Object.assign(env, this.templateEnv);
    const cleaned: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) cleaned[CLEANED_PREFIXES.some((p) => k.startsWith(p)) ? cleanEnvVar(k) : k] = v;
    return new TaskEnv(cleaned, nodeVars);
  }
}
