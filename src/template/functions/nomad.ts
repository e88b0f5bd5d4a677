// consul-template's Nomad functions: nomadService, nomadServices, nomadVar, nomadVarExists,
// nomadVarList, nomadVarListSafe. They read through the injected TemplateDataProvider and record
// the dependency each call uses; a call without data records it as missing and returns what
// consul-template returns then (an empty list, empty items, false).
import { createHash } from 'node:crypto';
import type { ServiceRegistration } from '../../structs/services.js';
import type { Variable, VariableMetadata } from '../../structs/variable.js';
import { defineFunc, defineVariadic, fail, type FuncMap } from '../funcs.js';
import { compareGoStrings, defineJSON, defineMethods, defineStringer, GO_METHODS, GO_TYPE, goStruct, kindOf } from '../values.js';
import type { DependencyTracker } from './dependencies.js';
import type { QueryScope, TemplateDataProvider } from './provider.js';

export interface NomadFunctionContext {
  provider: TemplateDataProvider;
  deps: DependencyTracker;
  /** The job's namespace (consul-template's default namespace for variables). */
  namespace: string;
}

const SERVICE_RE = /^(?:([\w=:.-]+)\.)?([\w-]+)(?:@([\w.-]+))?$/;
const SERVICES_RE = /^(?:@([\w.-]+))?$/;
const VAR_RE = /^\/?([^@]+?)(?:@([\w-]+)(?:\.([\w-]+))?)?$/;
const VAR_LIST_RE = /^\/?([^@]*?)(?:@([\w-]+|\*)(?:\.([\w-]+))?)?$/;

/** Nomad's rendezvous choice of n registrations for key (service_registration_endpoint.go). */
export function chooseServices(services: readonly ServiceRegistration[], n: number, key: string): ServiceRegistration[] {
  const count = Math.min(n, services.length);
  const scored = services.map((s) => ({ s, hash: hashWith(s, key) }));
  scored.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  return scored.slice(0, Math.max(count, 0)).map((p) => p.s);
}

function hashWith(s: ServiceRegistration, key: string): string {
  const h = createHash('sha256');
  const port = Buffer.alloc(8);
  port.writeBigUInt64BE(BigInt.asUintN(64, BigInt(s.Port)));
  h.update(port);
  h.update(s.AllocID);
  h.update(s.ID);
  h.update(s.Namespace);
  h.update(s.Address);
  h.update(s.ServiceName);
  for (const t of s.Tags ?? []) h.update(t);
  h.update(key);
  return h.digest('hex');
}

function sortedTags(tags: readonly string[] | null): string[] {
  return [...(tags ?? [])].sort(compareGoStrings);
}

const namespaces = new WeakMap<object, string>();

/** consul-template's NomadService, plus the registration's names (ServiceName, NodeID, Namespace) as methods. */
class NomadService {
  readonly ID: string;
  readonly Name: string;
  readonly Node: string;
  readonly Address: string;
  readonly Port: number;
  readonly Datacenter: string;
  readonly Tags: string[];
  readonly JobID: string;
  readonly AllocID: string;
  constructor(r: ServiceRegistration) {
    this.ID = r.ID;
    this.Name = r.ServiceName;
    this.Node = r.NodeID;
    this.Address = r.Address;
    this.Port = r.Port;
    this.Datacenter = r.Datacenter;
    this.Tags = sortedTags(r.Tags);
    this.JobID = r.JobID;
    this.AllocID = r.AllocID;
    namespaces.set(this, r.Namespace);
  }
}
Object.defineProperty(NomadService.prototype, GO_TYPE, { value: '*dependency.NomadService' });
Object.defineProperty(NomadService.prototype, GO_METHODS, {
  value: {
    ServiceName(this: NomadService) {
      return this.Name;
    },
    NodeID(this: NomadService) {
      return this.Node;
    },
    Namespace(this: NomadService) {
      return namespaces.get(this) ?? '';
    },
  },
});

/** Converted registrations, per provider answer: a provider that answers with the same array skips the work. */
const converted = new WeakMap<readonly ServiceRegistration[], Map<ServiceRegistration, NomadService>>();

function toNomadServices(all: readonly ServiceRegistration[], regs: readonly ServiceRegistration[]): NomadService[] {
  let cache = converted.get(all);
  if (cache === undefined) {
    cache = new Map();
    converted.set(all, cache);
  }
  return regs.map((r) => {
    let s = cache.get(r);
    if (s === undefined) {
      s = new NomadService(r);
      cache.set(r, s);
    }
    return s;
  });
}

function nanoTime(ns: number): object {
  return defineStringer(goStruct('dependency.nanoTime', { ns }), () => new Date(ns / 1e6).toISOString());
}

function varMeta(m: VariableMetadata): object {
  const meta = goStruct('*dependency.NomadVarMeta', {
    Namespace: m.Namespace,
    Path: m.Path,
    CreateIndex: m.CreateIndex,
    ModifyIndex: m.ModifyIndex,
    CreateTime: m.CreateTime,
    ModifyTime: m.ModifyTime,
  });
  return defineStringer(meta, () => m.Path);
}

/** NomadVarItems: a map of key → item (printing as its value), with Keys/Values/Tuples/Metadata/Parent. */
export function nomadVarItems(v: Variable | null): Record<string, unknown> {
  const items: Record<string, unknown> = {};
  const entries = v === null ? [] : Object.entries(v.Items).sort((a, b) => compareGoStrings(a[0], b[0]));
  for (const [k, value] of entries) {
    const item = goStruct('dependency.NomadVarItem', { Key: k, Value: value });
    defineStringer(item, () => value);
    defineJSON(item, () => value);
    items[k] = item;
  }
  const keys = entries.map(([k]) => k);
  defineMethods(items, {
    Keys: () => keys,
    Values: () => entries.map(([, value]) => value),
    Tuples: () => entries.map(([k, value]) => goStruct('struct { K string; V string }', { K: k, V: value })),
    Metadata: () => (v === null || entries.length === 0 ? null : varMeta(v)),
    Parent: () =>
      v === null || entries.length === 0
        ? null
        : goStruct('*dependency.NomadVariable', { Namespace: v.Namespace, Path: v.Path, CreateIndex: v.CreateIndex, ModifyIndex: v.ModifyIndex, CreateTime: nanoTime(v.CreateTime), ModifyTime: nanoTime(v.ModifyTime), Items: items }),
    ItemsMap: () => (entries.length === 0 ? null : Object.fromEntries(entries)),
  });
  return items;
}

function scopeKey(path: string, scope: QueryScope): string {
  return `${path}@${scope.namespace || 'default'}.${scope.region || 'global'}`;
}

export function nomadFunctions(ctx: NomadFunctionContext): FuncMap {
  const defaultNS = ctx.namespace || 'default';

  const nomadServiceFn = defineVariadic([], 'any', (...params) => {
    let spec: string;
    let choose: { n: number; key: string } | undefined;
    if (params.length === 1) {
      if (typeof params[0] !== 'string') fail('expected string for <service> argument');
      spec = params[0];
    } else if (params.length === 3) {
      const [n, key, name] = params;
      if (kindOf(n) !== 'int') fail('expected integer for <count> argument');
      if (typeof key !== 'string') fail('expected string for <key> argument');
      if (typeof name !== 'string') fail('expected string for <service> argument');
      spec = name;
      choose = { n: Number(n), key };
    } else fail('expected arguments <service> or <count> <key> <service>');
    const m = SERVICE_RE.exec(spec);
    if (m === null) fail(`nomad.service: invalid format: ${JSON.stringify(spec)}`);
    const [, tag = '', name = '', region = ''] = m;
    let id = tag ? `${tag}.${name}` : name;
    if (region) id += `@${region}`;
    if (choose) id += `:${choose.n}|${choose.key}`;
    const dep = `nomad.service(${id})`;
    ctx.deps.use(dep);
    const all = ctx.provider.service(name, { namespace: defaultNS, region });
    let regs = all;
    if (all === undefined || regs === undefined) {
      ctx.deps.miss(dep);
      return [];
    }
    if (choose) {
      if (choose.key === '') fail('failed to parse choose parameter');
      regs = chooseServices(regs, choose.n, choose.key);
    }
    return toNomadServices(all, tag === '' ? regs : regs.filter((r) => (r.Tags ?? []).includes(tag)));
  });

  const nomadServicesFn = defineVariadic([], 'string', (...s) => {
    const spec = s.join('');
    const m = SERVICES_RE.exec(spec);
    if (m === null) fail(`nomad.services: invalid format: ${JSON.stringify(spec)}`);
    const region = m[1] ?? '';
    const dep = region ? `nomad.services(@${region})` : 'nomad.services';
    ctx.deps.use(dep);
    const stubs = ctx.provider.services({ namespace: defaultNS, region });
    if (stubs === undefined) {
      ctx.deps.miss(dep);
      return [];
    }
    return [...stubs]
      .sort((a, b) => compareGoStrings(a.ServiceName, b.ServiceName))
      .map((s) => goStruct('*dependency.NomadServicesSnippet', { Name: s.ServiceName, Tags: sortedTags(s.Tags) }));
  });

  const parseVar = (s: string): { path: string; scope: QueryScope } => {
    const m = VAR_RE.exec(s);
    if (m === null) fail(`nomad.var.get: invalid format: ${JSON.stringify(s)}`);
    return { path: m[1] ?? '', scope: { namespace: m[2] ?? defaultNS, region: m[3] ?? '' } };
  };

  const nomadVarFn = defineFunc(['string'], (s) => {
    if (s === '') return nomadVarItems(null);
    const { path, scope } = parseVar(s);
    const dep = `nomad.var.block(${scopeKey(path, scope)})`;
    ctx.deps.use(dep);
    const v = ctx.provider.variable(path, scope);
    // A missing variable blocks the render until it exists, as consul-template's blocking query does.
    if (v === undefined || v === null) {
      ctx.deps.miss(dep);
      return nomadVarItems(null);
    }
    return nomadVarItems(v);
  });

  const nomadVarExistsFn = defineFunc(['string'], (s) => {
    if (s === '') return false;
    const { path, scope } = parseVar(s);
    const dep = `nomad.var.get(${scopeKey(path, scope)})`;
    ctx.deps.use(dep);
    const v = ctx.provider.variable(path, scope);
    if (v === undefined) {
      ctx.deps.miss(dep);
      return false;
    }
    return v !== null;
  });

  const varList = (emptyIsSafe: boolean) =>
    defineVariadic([], 'string', (...args) => {
      if (args.length > 1) fail(`nomadVarList takes either a single "prefix" parameter or none for all available variables; got: [${args.join(' ')}]`);
      const m = VAR_LIST_RE.exec(args[0] ?? '');
      if (m === null) fail(`nomad.var.list: invalid format: ${JSON.stringify(args[0] ?? '')}`);
      const prefix = m[1] ?? '';
      const scope: QueryScope = { namespace: m[2] ?? defaultNS, region: m[3] ?? '' };
      const dep = `nomad.var.list(${scopeKey(prefix, scope)})`;
      ctx.deps.use(dep);
      const list = ctx.provider.variableList(prefix, scope);
      if (list !== undefined && (list.length > 0 || emptyIsSafe)) return list.map(varMeta);
      ctx.deps.miss(dep);
      return [];
    });

  return {
    nomadService: nomadServiceFn,
    nomadServices: nomadServicesFn,
    nomadVar: nomadVarFn,
    nomadVarExists: nomadVarExistsFn,
    nomadVarList: varList(true),
    nomadVarListSafe: varList(false),
  };
}
