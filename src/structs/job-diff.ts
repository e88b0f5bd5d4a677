// The structural diff of two versions of a job in Nomad's JobDiff shape, as `job plan` and
// `/v1/job/:id/versions?diffs=true` return it: per job, group and task the changed primitive
// fields (`Count`, `Driver`, `Meta[key]`, `Env[key]`…) and the changed blocks as named objects
// (`Config`, `Resources`, `Template`, `Service`, `Constraint`…), each marked Added, Deleted,
// Edited or None. Field and object names, matching rules (constraints by content, templates by
// destination, services by name/port/position, ports by label) and ordering follow Nomad's
// structs/diff.go, so tools reading Nomad's diffs read ours.
//
// Pure: no I/O, no clock. `contextual` keeps unchanged fields of changed objects (type "None"),
// which `job plan` always asks for and `-verbose` prints. It must never depend on object key
// order or on map iteration order: every list it returns is sorted.
import type { Job, Task, TaskGroup } from './job.js';

export type DiffType = 'Added' | 'Deleted' | 'Edited' | 'None';

export interface FieldDiff {
  Type: DiffType;
  Name: string;
  Old: string;
  New: string;
  Annotations: string[];
}

export interface ObjectDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[];
  Objects: ObjectDiff[];
}

export interface TaskDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[];
  Objects: ObjectDiff[];
  Annotations: string[];
}

export interface TaskGroupDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[];
  Objects: ObjectDiff[];
  Tasks: TaskDiff[];
  /** Scheduler counts by update type ("create", "destroy", "in-place update"…), set by plan. */
  Updates: Record<string, number>;
}

export interface JobDiff {
  Type: DiffType;
  ID: string;
  Fields: FieldDiff[];
  Objects: ObjectDiff[];
  TaskGroups: TaskGroupDiff[];
}

type Obj = Record<string, unknown>;
type Flat = Record<string, string>;

/** Nested objects flattened as `Name[key]` (Go maps); every other nested object is a block. */
const MAP_FIELDS = new Set(['Meta', 'Env', 'CanaryMeta', 'TaggedAddresses', 'Target', 'GetterOptions', 'GetterHeaders']);
/** Job fields that change without the specification changing, or are not primitive in Nomad. */
const JOB_FILTER = ['ID', 'Status', 'StatusDescription', 'Version', 'Stable', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'Update', 'SubmitTime', 'NomadTokenID', 'VaultToken', 'Payload'];
/** Pointer fields Nomad's primitive flattening skips. */
const GROUP_FILTER = ['Name', 'StopAfterClientDisconnect', 'MaxClientDisconnect', 'MaxRunDuration'];
const TASK_FILTER = ['Name', 'Config'];

const ORDER: Record<DiffType, number> = { Edited: 0, Added: 1, Deleted: 2, None: 3 };

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Obj)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]));
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: string | number | boolean): string => String(v);

/** Nomad's flatmap.Flatten(obj, filter, primitiveOnly=true): the object's own primitive fields and string maps. */
function flatten(obj: unknown, filter: readonly string[] = []): Flat {
  const out: Flat = {};
  if (!isObj(obj)) return out;
  for (const [k, v] of Object.entries(obj)) {
    if (filter.includes(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = str(v);
    else if (isObj(v) && MAP_FIELDS.has(k)) {
      for (const [mk, mv] of Object.entries(v)) if (typeof mv === 'string' || typeof mv === 'number' || typeof mv === 'boolean') out[`${k}[${mk}]`] = str(mv);
    }
  }
  return out;
}

/** Nomad's flatmap.Flatten(v, nil, false): everything, nested maps as `a[b]`, lists as `a[0]`, null as "nil". */
function flattenAll(v: unknown, prefix = '', out: Flat = {}): Flat {
  const sub = (k: string): string => (prefix === '' ? k : `${prefix}[${k}]`);
  if (v === null || v === undefined) out[prefix] = 'nil';
  else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[prefix] = str(v);
  else if (Array.isArray(v)) v.forEach((e, i) => flattenAll(e, `${prefix}[${i}]`, out));
  else if (isObj(v)) for (const [k, e] of Object.entries(v)) flattenAll(e, sub(k), out);
  return out;
}

function fieldDiff(oldV: string, newV: string, name: string, contextual: boolean): FieldDiff | null {
  if (oldV === newV) return contextual ? { Type: 'None', Name: name, Old: oldV, New: newV, Annotations: [] } : null;
  if (oldV === '') return { Type: 'Added', Name: name, Old: '', New: newV, Annotations: [] };
  if (newV === '') return { Type: 'Deleted', Name: name, Old: oldV, New: '', Annotations: [] };
  return { Type: 'Edited', Name: name, Old: oldV, New: newV, Annotations: [] };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compareFields = (a: FieldDiff, b: FieldDiff): number => cmp(a.Name, b.Name) || cmp(a.Old, b.Old) || cmp(a.New, b.New);

function compareObjects(a: ObjectDiff, b: ObjectDiff): number {
  const c = cmp(a.Name, b.Name) || ORDER[a.Type] - ORDER[b.Type] || a.Fields.length - b.Fields.length || a.Objects.length - b.Objects.length;
  if (c !== 0) return c;
  for (let i = 0; i < a.Fields.length; i++) {
    const f = compareFields(a.Fields[i] as FieldDiff, b.Fields[i] as FieldDiff);
    if (f !== 0) return f;
  }
  for (let i = 0; i < a.Objects.length; i++) {
    const o = compareObjects(a.Objects[i] as ObjectDiff, b.Objects[i] as ObjectDiff);
    if (o !== 0) return o;
  }
  return 0;
}

const sortObjects = (list: ObjectDiff[]): ObjectDiff[] => list.sort(compareObjects);

function fieldDiffs(oldF: Flat, newF: Flat, contextual: boolean): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const k of new Set([...Object.keys(oldF), ...Object.keys(newF)])) {
    const d = fieldDiff(oldF[k] ?? '', newF[k] ?? '', k, contextual);
    if (d !== null) out.push(d);
  }
  return out.sort(compareFields);
}

/** A set of strings (datacenters, tags, args…): each member added, removed or (contextual) kept. */
function stringSetDiff(oldL: readonly string[] | null, newL: readonly string[] | null, name: string, contextual: boolean): ObjectDiff | null {
  const o = new Set(oldL ?? []);
  const n = new Set(newL ?? []);
  const same = o.size === n.size && [...o].every((x) => n.has(x));
  if (same && !contextual) return null;
  const fields: FieldDiff[] = [];
  let added = false;
  let removed = false;
  for (const k of o) {
    if (!n.has(k)) {
      fields.push(fieldDiff(k, '', name, contextual) as FieldDiff);
      removed = true;
    } else if (contextual) fields.push(fieldDiff(k, k, name, contextual) as FieldDiff);
  }
  for (const k of n) {
    if (!o.has(k)) {
      fields.push(fieldDiff('', k, name, contextual) as FieldDiff);
      added = true;
    }
  }
  fields.sort(compareFields);
  const type: DiffType = added && removed ? 'Edited' : added ? 'Added' : removed ? 'Deleted' : 'None';
  if (type === 'None' && fields.length === 0) return null;
  return { Type: type, Name: name, Fields: fields, Objects: [] };
}

/** Nomad's primitiveObjectDiff: the primitive fields only, and null unless one of them changed. */
function primitiveObjectDiff(oldO: unknown, newO: unknown, filter: readonly string[], name: string, contextual: boolean): ObjectDiff | null {
  const fields = fieldDiffs(flatten(oldO, filter), flatten(newO, filter), contextual);
  const edited = fields.some((f) => f.Type === 'Edited');
  const added = fields.some((f) => f.Type === 'Added');
  const deleted = fields.some((f) => f.Type === 'Deleted');
  const type: DiffType | null = edited || (added && deleted) ? 'Edited' : added ? 'Added' : deleted ? 'Deleted' : null;
  return type === null ? null : { Type: type, Name: name, Fields: fields, Objects: [] };
}

/** Nomad's primitiveObjectSetDiff: objects matched by `key` (default: their whole content). */
function primitiveObjectSetDiff<T>(oldL: readonly T[] | null, newL: readonly T[] | null, filter: readonly string[], name: string, contextual: boolean, key: (o: T) => string = (o) => JSON.stringify(o)): ObjectDiff[] {
  const byKey = (l: readonly T[] | null): Map<string, T> => new Map((l ?? []).map((o) => [key(o), o] as const));
  const o = byKey(oldL);
  const n = byKey(newL);
  const out: ObjectDiff[] = [];
  for (const [k, v] of o) {
    const d = primitiveObjectDiff(v, n.get(k) ?? null, filter, name, contextual);
    if (d !== null) out.push(d);
  }
  for (const [k, v] of n) {
    if (o.has(k)) continue;
    const d = primitiveObjectDiff(null, v, filter, name, contextual);
    if (d !== null) out.push(d);
  }
  return sortObjects(out);
}

interface BlockSpec<T> {
  name: string;
  filter?: readonly string[];
  /** Contextual unchanged fields (false for Nomad's scaling block). */
  contextualFields?: boolean;
  /** Nomad's flatten for this block when it is not the primitive one. */
  flat?: (o: T) => Flat;
  children?: (o: T | null, n: T | null, contextual: boolean) => (ObjectDiff | null)[];
}

/** The common shape of Nomad's block diffs: null when equal, else Added/Deleted/Edited with fields and child blocks. */
function blockDiff<T>(oldO: T | null | undefined, newO: T | null | undefined, spec: BlockSpec<T>, contextual: boolean): ObjectDiff | null {
  const o = oldO ?? null;
  const n = newO ?? null;
  if (deepEqual(o, n)) return null;
  const type: DiffType = o === null ? 'Added' : n === null ? 'Deleted' : 'Edited';
  const flat = spec.flat ?? ((x: T): Flat => flatten(x, spec.filter));
  const fields = fieldDiffs(o === null ? {} : flat(o), n === null ? {} : flat(n), spec.contextualFields === false ? false : contextual);
  const objects = (spec.children?.(o, n, contextual) ?? []).filter((x): x is ObjectDiff => x !== null);
  return { Type: type, Name: spec.name, Fields: fields, Objects: spec.children ? objects : [] };
}

/** Lists matched pairwise by `match` (returns the index in `newL` or -1); unmatched ones are added/deleted. */
function matchedDiffs<T>(oldL: readonly T[] | null, newL: readonly T[] | null, match: (o: T, i: number, newL: readonly T[], taken: boolean[]) => number, diff: (o: T | null, n: T | null) => ObjectDiff | null): ObjectDiff[] {
  const ol = oldL ?? [];
  const nl = newL ?? [];
  const taken = nl.map(() => false);
  const out: (ObjectDiff | null)[] = [];
  ol.forEach((o, i) => {
    const j = match(o, i, nl, taken);
    if (j < 0) out.push(diff(o, null));
    else {
      taken[j] = true;
      out.push(diff(o, nl[j] ?? null));
    }
  });
  nl.forEach((n, j) => {
    if (!taken[j]) out.push(diff(null, n));
  });
  return sortObjects(out.filter((x): x is ObjectDiff => x !== null));
}

/** Lists matched by a unique key (checks by name, devices by name, ports by label). */
function keyedDiffs<T>(oldL: readonly T[] | null, newL: readonly T[] | null, key: (o: T) => string, diff: (o: T | null, n: T | null) => ObjectDiff | null): ObjectDiff[] {
  const o = new Map((oldL ?? []).map((x) => [key(x), x] as const));
  const n = new Map((newL ?? []).map((x) => [key(x), x] as const));
  const out: ObjectDiff[] = [];
  for (const [k, v] of o) {
    const d = diff(v, n.get(k) ?? null);
    if (d !== null) out.push(d);
  }
  for (const [k, v] of n) {
    if (o.has(k)) continue;
    const d = diff(null, v);
    if (d !== null) out.push(d);
  }
  return sortObjects(out);
}

const get = <T>(o: unknown, k: string): T | null => (isObj(o) ? ((o[k] as T | undefined) ?? null) : null);
const strings = (o: unknown, k: string): string[] | null => get<string[]>(o, k);

function checkDiff(o: unknown, n: unknown, contextual: boolean): ObjectDiff | null {
  return blockDiff(o, n, {
    name: 'Check',
    children: (a, b, c) => [
      blockDiff(get(a, 'Header'), get(b, 'Header'), { name: 'Header', flat: (h) => flattenAll(h) }, c),
      blockDiff(get(a, 'CheckRestart'), get(b, 'CheckRestart'), { name: 'CheckRestart' }, c),
    ],
  }, contextual);
}

function serviceDiff(o: unknown, n: unknown, contextual: boolean): ObjectDiff | null {
  return blockDiff(o, n, {
    name: 'Service',
    children: (a, b, c) => [
      stringSetDiff(strings(a, 'CanaryTags'), strings(b, 'CanaryTags'), 'CanaryTags', c),
      stringSetDiff(strings(a, 'Tags'), strings(b, 'Tags'), 'Tags', c),
      ...keyedDiffs(get<unknown[]>(a, 'Checks'), get<unknown[]>(b, 'Checks'), (x) => String(get(x, 'Name')), (x, y) => checkDiff(x, y, c)),
      blockDiff(get(a, 'Connect'), get(b, 'Connect'), { name: 'ConsulConnect', flat: (x) => flattenAll(x) }, c),
    ],
  }, contextual);
}

/** Services matched as Nomad does: same name (3) + same port label (2) + same position (1), above 2. */
function serviceDiffs(oldL: readonly unknown[] | null, newL: readonly unknown[] | null, contextual: boolean): ObjectDiff[] {
  if (oldL?.length === 1 && newL?.length === 1) {
    const d = serviceDiff(oldL[0], newL[0], contextual);
    return d === null ? [] : [d];
  }
  return matchedDiffs(oldL, newL, (s, i, nl, taken) => {
    let best = 0;
    let idx = -1;
    nl.forEach((x, j) => {
      if (taken[j]) return;
      const score = (j === i ? 1 : 0) + (get(s, 'PortLabel') === get(x, 'PortLabel') ? 2 : 0) + (get(s, 'Name') === get(x, 'Name') ? 3 : 0);
      if (score > 2 && score > best) {
        best = score;
        idx = j;
      }
    });
    return idx;
  }, (a, b) => serviceDiff(a, b, contextual));
}

function templateDiff(o: unknown, n: unknown, contextual: boolean): ObjectDiff | null {
  return blockDiff(o, n, {
    name: 'Template',
    children: (a, b, c) => [
      blockDiff(get(a, 'Wait'), get(b, 'Wait'), { name: 'Template', flat: (x) => flattenAll(x) }, c),
      blockDiff(get(a, 'ChangeScript'), get(b, 'ChangeScript'), { name: 'ChangeScript', children: (x, y, cc) => [stringSetDiff(strings(x, 'Args'), strings(y, 'Args'), 'Args', cc)] }, c),
    ],
  }, contextual);
}

function templateDiffs(oldL: readonly unknown[] | null, newL: readonly unknown[] | null, contextual: boolean): ObjectDiff[] {
  if (oldL?.length === 1 && newL?.length === 1) {
    const d = templateDiff(oldL[0], newL[0], contextual);
    return d === null ? [] : [d];
  }
  return matchedDiffs(oldL, newL, (t, _i, nl, taken) => nl.findIndex((x, j) => !taken[j] && get(x, 'DestPath') === get(t, 'DestPath')), (a, b) => templateDiff(a, b, contextual));
}

function portDiffs(oldL: readonly unknown[] | null, newL: readonly unknown[] | null, dynamic: boolean, contextual: boolean): ObjectDiff[] {
  const filter = dynamic ? ['Value', 'IgnoreCollision'] : [];
  const name = dynamic ? 'Dynamic Port' : 'Static Port';
  return keyedDiffs(oldL, newL, (p) => String(get(p, 'Label')), (a, b) => primitiveObjectDiff(a, b, filter, name, contextual));
}

function dnsFlat(d: unknown): Flat {
  const out: Flat = {};
  for (const k of ['Servers', 'Searches', 'Options']) {
    const l = strings(d, k);
    if (l !== null && l.length > 0) out[k] = l.join(',');
  }
  return out;
}

function networkDiff(o: unknown, n: unknown, contextual: boolean): ObjectDiff | null {
  return blockDiff(o, n, {
    name: 'Network',
    filter: ['Device', 'CIDR', 'IP', 'MBits'],
    children: (a, b, c) => [
      ...portDiffs(get(a, 'ReservedPorts'), get(b, 'ReservedPorts'), false, c),
      ...portDiffs(get(a, 'DynamicPorts'), get(b, 'DynamicPorts'), true, c),
      blockDiff(get(a, 'DNS'), get(b, 'DNS'), { name: 'DNS', flat: dnsFlat }, c),
      deepEqual(get(get(a, 'CNI'), 'Args') ?? {}, get(get(b, 'CNI'), 'Args') ?? {}) ? null : primitiveObjectDiff(get(get(a, 'CNI'), 'Args'), get(get(b, 'CNI'), 'Args'), [], 'CNIConfig', c),
    ],
  }, contextual);
}

/** Networks are matched by content, so a changed network is a deleted one plus an added one (as in Nomad). */
function networkDiffs(oldL: readonly unknown[] | null, newL: readonly unknown[] | null, contextual: boolean): ObjectDiff[] {
  const key = (x: unknown): string => JSON.stringify(x);
  const o = new Set((oldL ?? []).map(key));
  const n = new Set((newL ?? []).map(key));
  const out: ObjectDiff[] = [];
  for (const x of oldL ?? []) if (!n.has(key(x))) out.push(networkDiff(x, null, contextual) as ObjectDiff);
  for (const x of newL ?? []) if (!o.has(key(x))) out.push(networkDiff(null, x, contextual) as ObjectDiff);
  return sortObjects(out.filter((x) => x !== null));
}

function resourcesDiff(o: unknown, n: unknown, contextual: boolean): ObjectDiff | null {
  return blockDiff(o, n, {
    name: 'Resources',
    children: (a, b, c) => [...networkDiffs(get(a, 'Networks'), get(b, 'Networks'), c), ...keyedDiffs(get<unknown[]>(a, 'Devices'), get<unknown[]>(b, 'Devices'), (d) => String(get(d, 'Name')), (x, y) => blockDiff(x, y, { name: 'Device' }, c))],
  }, contextual);
}

/** The task driver's `config` block: every nested value flattened (`args[0]`, `port_map[0][http]`). */
function configDiff(o: Obj | null, n: Obj | null, contextual: boolean): ObjectDiff | null {
  if (deepEqual(o, n)) return null;
  const type: DiffType = o === null || Object.keys(o).length === 0 ? 'Added' : n === null || Object.keys(n).length === 0 ? 'Deleted' : 'Edited';
  return { Type: type, Name: 'Config', Fields: fieldDiffs(o === null ? {} : flattenAll(o), n === null ? {} : flattenAll(n), contextual), Objects: [] };
}

const constraintKey = (c: unknown): string => `${String(get(c, 'LTarget'))} ${String(get(c, 'Operand'))} ${String(get(c, 'RTarget'))}`;
const affinityKey = (a: unknown): string => `${constraintKey(a)} ${String(get(a, 'Weight'))}`;

function placementDiffs(o: { Constraints: unknown[] | null; Affinities: unknown[] | null } | null, n: { Constraints: unknown[] | null; Affinities: unknown[] | null } | null, contextual: boolean): ObjectDiff[] {
  return [...primitiveObjectSetDiff(o?.Constraints ?? null, n?.Constraints ?? null, [], 'Constraint', contextual, constraintKey), ...primitiveObjectSetDiff(o?.Affinities ?? null, n?.Affinities ?? null, [], 'Affinity', contextual, affinityKey)];
}

function notNull<T>(l: (T | null)[]): T[] {
  return l.filter((x): x is T => x !== null);
}

/** The diff of one task (Nomad's Task.Diff); throws if the names differ. */
export function taskDiff(o: Task | null, n: Task | null, contextual: boolean): TaskDiff {
  if (o === null && n === null) return { Type: 'None', Name: '', Fields: [], Objects: [], Annotations: [] };
  if (o !== null && n !== null && o.Name !== n.Name) throw new Error(`can not diff tasks with different names: ${JSON.stringify(o.Name)} and ${JSON.stringify(n.Name)}`);
  const type: DiffType = o === null ? 'Added' : n === null ? 'Deleted' : deepEqual(o, n) ? 'None' : 'Edited';
  const objects = [
    ...placementDiffs(o, n, contextual),
    configDiff(o?.Config ?? null, n?.Config ?? null, contextual),
    resourcesDiff(o?.Resources, n?.Resources, contextual),
    primitiveObjectDiff(o?.LogConfig ?? null, n?.LogConfig ?? null, [], 'LogConfig', contextual),
    primitiveObjectDiff(o?.DispatchPayload ?? null, n?.DispatchPayload ?? null, [], 'DispatchPayload', contextual),
    ...primitiveObjectSetDiff(o?.Artifacts ?? null, n?.Artifacts ?? null, [], 'Artifact', contextual, (a) => a.RelativeDest || JSON.stringify(a)),
    ...serviceDiffs(o?.Services ?? null, n?.Services ?? null, contextual),
    blockDiff(o?.Vault, n?.Vault, { name: 'Vault' }, contextual),
    primitiveObjectDiff(o?.Consul ?? null, n?.Consul ?? null, [], 'Consul', contextual),
    ...templateDiffs(o?.Templates ?? null, n?.Templates ?? null, contextual),
    blockDiff(o?.Identity, n?.Identity, { name: 'Identity' }, contextual),
    ...matchedDiffs(o?.VolumeMounts ?? null, n?.VolumeMounts ?? null, (_m, i, nl) => (i < nl.length ? i : -1), (a, b) => blockDiff(a, b, { name: 'VolumeMount' }, contextual)),
  ];
  return { Type: type, Name: (n ?? o)?.Name ?? '', Fields: fieldDiffs(flatten(o, TASK_FILTER), flatten(n, TASK_FILTER), false), Objects: notNull(objects), Annotations: [] };
}

function byName<T extends { Name: string }>(oldL: readonly T[], newL: readonly T[], diff: (o: T | null, n: T | null) => { Name: string }): ReturnType<typeof diff>[] {
  const o = new Map(oldL.map((x) => [x.Name, x] as const));
  const n = new Map(newL.map((x) => [x.Name, x] as const));
  const out = [...o].map(([k, v]) => diff(v, n.get(k) ?? null));
  for (const [k, v] of n) if (!o.has(k)) out.push(diff(null, v));
  return out.sort((a, b) => cmp(a.Name, b.Name));
}

/** The diff of one task group (Nomad's TaskGroup.Diff); throws if the names differ. */
export function taskGroupDiff(o: TaskGroup | null, n: TaskGroup | null, contextual: boolean): TaskGroupDiff {
  if (o === null && n === null) return { Type: 'None', Name: '', Fields: [], Objects: [], Tasks: [], Updates: {} };
  if (o !== null && n !== null && o.Name !== n.Name) throw new Error(`can not diff task groups with different names: ${JSON.stringify(o.Name)} and ${JSON.stringify(n.Name)}`);
  const type: DiffType = o === null ? 'Added' : n === null ? 'Deleted' : deepEqual(o, n) ? 'None' : 'Edited';
  const scalingFilter = ['CreateIndex', 'ModifyIndex', 'ID', 'Type', 'Target[Job]', 'Target[Group]', 'Target[Namespace]'];
  const objects = [
    ...placementDiffs(o, n, contextual),
    primitiveObjectDiff(o?.RestartPolicy ?? null, n?.RestartPolicy ?? null, [], 'RestartPolicy', contextual),
    primitiveObjectDiff(o?.Migrate ?? null, n?.Migrate ?? null, [], 'Migrate', contextual),
    primitiveObjectDiff(o?.ReschedulePolicy ?? null, n?.ReschedulePolicy ?? null, [], 'ReschedulePolicy', contextual),
    primitiveObjectDiff(o?.EphemeralDisk ?? null, n?.EphemeralDisk ?? null, [], 'EphemeralDisk', contextual),
    primitiveObjectDiff(o?.Consul ?? null, n?.Consul ?? null, [], 'Consul', contextual),
    primitiveObjectDiff(o?.Update ?? null, n?.Update ?? null, ['Stagger'], 'Update', contextual),
    blockDiff(o?.Disconnect, n?.Disconnect, { name: 'Disconnect', flat: (x) => flattenAll(x) }, contextual),
    ...networkDiffs(o?.Networks ?? null, n?.Networks ?? null, contextual),
    blockDiff(o?.Scaling, n?.Scaling, { name: 'Scaling', filter: scalingFilter, contextualFields: false, children: (a, b) => [blockDiff(get(a, 'Policy'), get(b, 'Policy'), { name: 'Policy', flat: (x) => flattenAll(x), contextualFields: false }, false)] }, contextual),
    ...serviceDiffs(o?.Services ?? null, n?.Services ?? null, contextual),
    ...keyedDiffs(Object.entries(o?.Volumes ?? {}), Object.entries(n?.Volumes ?? {}), ([k]) => k, (a, b) => blockDiff(a?.[1], b?.[1], { name: 'Volume', children: (x, y, c) => [blockDiff(get(x, 'MountOptions'), get(y, 'MountOptions'), { name: 'MountOptions', children: (p, q, cc) => [stringSetDiff(strings(p, 'MountFlags'), strings(q, 'MountFlags'), 'MountFlags', cc)] }, c)] }, contextual)),
  ];
  return {
    Type: type,
    Name: (n ?? o)?.Name ?? '',
    Fields: fieldDiffs(flatten(o, GROUP_FILTER), flatten(n, GROUP_FILTER), false),
    Objects: notNull(objects),
    Tasks: byName(o?.Tasks ?? [], n?.Tasks ?? [], (a, b) => taskDiff(a, b, contextual)) as TaskDiff[],
    Updates: {},
  };
}

/**
 * The diff from `o` (the current version, or null for a new job) to `n` (null for a purged job).
 * Throws if both are given with different IDs, as Nomad does.
 */
export function diffJobs(o: Job | null, n: Job | null, contextual: boolean): JobDiff {
  if (o === null && n === null) return { Type: 'None', ID: '', Fields: [], Objects: [], TaskGroups: [] };
  if (o !== null && n !== null && o.ID !== n.ID) throw new Error(`can not diff jobs with different IDs: ${JSON.stringify(o.ID)} and ${JSON.stringify(n.ID)}`);
  const dcs = stringSetDiff(o?.Datacenters ?? null, n?.Datacenters ?? null, 'Datacenters', contextual);
  const objects = notNull([
    dcs !== null && dcs.Type !== 'None' ? dcs : null,
    ...placementDiffs(o, n, contextual),
    blockDiff(o?.Periodic, n?.Periodic, { name: 'Periodic', children: (a, b, c) => [((d) => (d !== null && d.Type !== 'None' ? d : null))(stringSetDiff(strings(a, 'Specs'), strings(b, 'Specs'), 'Specs', c))] }, contextual),
    blockDiff(o?.ParameterizedJob, n?.ParameterizedJob, { name: 'ParameterizedJob', children: (a, b, c) => [stringSetDiff(strings(a, 'MetaOptional'), strings(b, 'MetaOptional'), 'MetaOptional', c), stringSetDiff(strings(a, 'MetaRequired'), strings(b, 'MetaRequired'), 'MetaRequired', c)] }, contextual),
    blockDiff(o?.Multiregion, n?.Multiregion, { name: 'Multiregion', flat: (x) => flattenAll(x) }, contextual),
  ]);
  const fields = fieldDiffs(flatten(o, JOB_FILTER), flatten(n, JOB_FILTER), false);
  const groups = byName(o?.TaskGroups ?? [], n?.TaskGroups ?? [], (a, b) => taskGroupDiff(a, b, contextual)) as TaskGroupDiff[];
  let type: DiffType = o === null ? 'Added' : n === null ? 'Deleted' : 'None';
  if (type === 'None' && [...fields, ...objects, ...groups].some((d) => d.Type !== 'None')) type = 'Edited';
  return { Type: type, ID: (n ?? o)?.ID ?? '', Fields: fields, Objects: objects, TaskGroups: groups };
}
