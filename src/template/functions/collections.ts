// consul-template's collection helpers: grouping services (byTag, byPort, byMeta) and key pairs
// (byKey, explode), map merging, `loop`, and the per-render `scratch` pad.
import { sprintf } from '../fmt/sprintf.js';
import { defineFunc, defineVariadic, fail, type FuncMap } from '../funcs.js';
import { compareGoStrings, defineMethods, goStruct, intValue, isPlainObject, kindOf, toBigInt, typeName } from '../values.js';

function field(o: unknown, name: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[name] : undefined;
}

function asList(fn: string, v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) fail(`${fn}: wrong argument type ${typeName(v)}`);
  return v;
}

function byTag(v: unknown): Record<string, unknown[]> {
  const m: Record<string, unknown[]> = {};
  for (const s of asList('byTag', v)) {
    const tags = field(s, 'Tags') ?? field(s, 'ServiceTags');
    for (const t of Array.isArray(tags) ? tags : []) (m[String(t)] ??= []).push(s);
  }
  return m;
}

function byPort(v: unknown): Map<number, unknown[]> {
  const m = new Map<number, unknown[]>();
  for (const s of asList('byPort', v)) {
    const p = Number(field(s, 'Port') ?? field(s, 'ServicePort') ?? 0);
    const list = m.get(p) ?? [];
    list.push(s);
    m.set(p, list);
  }
  return new Map([...m.entries()].sort((a, b) => a[0] - b[0]));
}

function byMeta(meta: string, services: unknown[] | null): Record<string, unknown[]> {
  const normalize = (x: string) => x.replace(/[^a-zA-Z0-9_-]/g, '_');
  const get = (m: Record<string, string>, key: string): string => {
    const real = key.endsWith('|int') ? key.slice(0, -4) : key;
    const val = m[real];
    if (val) return val;
    return key.endsWith('|int') ? '0' : `_no_${real}_`;
  };
  const groups: Record<string, unknown[]> = {};
  for (const s of services ?? []) {
    const sm = (field(s, 'ServiceMeta') ?? field(s, 'Meta') ?? {}) as Record<string, string>;
    const parts = meta.split(',').map((m) => {
      let value = get(sm, m);
      if (m.endsWith('|int')) {
        if (!/^[+-]?\d+$/.test(value)) fail(`cannot parse ${value} as number : strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`);
        value = sprintf('%05d', [Number(value)]);
      }
      return normalize(value);
    });
    (groups[parts.join('_')] ??= []).push(s);
  }
  return groups;
}

function byKey(pairs: unknown[] | null): Record<string, Record<string, unknown>> {
  const m: Record<string, Record<string, unknown>> = {};
  for (const pair of pairs ?? []) {
    const parts = String(field(pair, 'Key') ?? '').split('/');
    const top = parts[0] as string;
    const key = parts.slice(1).join('/');
    if (key === '') continue;
    const copy = isPlainObject(pair) ? { ...pair, Key: key } : goStruct('*dependency.KeyPair', { ...(pair as object), Key: key });
    (m[top] ??= {})[key] = copy;
  }
  return m;
}

function explodeHelper(m: Record<string, unknown>, k: string, v: unknown, p: string): void {
  if (k.includes('/')) {
    const parts = k.split('/');
    const top = parts[0] as string;
    const key = parts.slice(1).join('/');
    if (!(top in m)) m[top] = {};
    const nest = m[top];
    if (!isPlainObject(nest)) fail(`not a map: ${JSON.stringify(p)}: ${JSON.stringify(top)} already has value ${sprintf('%q', [nest])}`);
    explodeHelper(nest, key, v, k);
    return;
  }
  if (k !== '') m[k] = v;
}

function explode(pairs: unknown[] | null): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  for (const pair of pairs ?? []) {
    const key = String(field(pair, 'Key') ?? '');
    try {
      explodeHelper(m, key, field(pair, 'Value'), key);
    } catch (e) {
      fail(`explode: ${(e as Error).message}`);
    }
  }
  return m;
}

function explodeMap(mapIn: Record<string, unknown> | Map<unknown, unknown> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const entries = mapIn instanceof Map ? [...mapIn.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(mapIn ?? {});
  for (const [k, v] of [...entries].sort((a, b) => compareGoStrings(a[0], b[0]))) {
    try {
      explodeHelper(out, k, v, k);
    } catch (e) {
      fail(`explodeMap: ${(e as Error).message}`);
    }
  }
  return out;
}

/** mergo.Map: fills dst's missing (or zero) keys from src, deeply; override replaces non-maps too. */
function merge(dst: Record<string, unknown>, src: Record<string, unknown>, override: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...dst };
  for (const [k, sv] of Object.entries(src)) {
    const dv = out[k];
    if (isPlainObject(dv) && isPlainObject(sv)) out[k] = merge(dv, sv, override);
    else if (dv === undefined || dv === null || override) out[k] = sv;
  }
  return out;
}

function asMap(v: Record<string, unknown> | Map<unknown, unknown> | null): Record<string, unknown> {
  if (v === null) return {};
  return v instanceof Map ? Object.fromEntries([...v.entries()].map(([k, e]) => [String(k), e])) : v;
}

function loopBound(v: unknown): bigint {
  const k = kindOf(v);
  if (k === 'int') return toBigInt(v);
  if (k === 'string') {
    const s = v as string;
    if (s === '') return 0n;
    if (!/^[+-]?\d+$/.test(s)) fail(`parseInt: strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
    return BigInt(s);
  }
  fail(`loop: bad argument type: ${typeName(v)}`);
}

const MAX_LOOP = 1_000_000;

function loop(args: unknown[]): (number | bigint)[] {
  let start: bigint;
  let stop: bigint;
  if (args.length === 1) {
    start = 0n;
    stop = loopBound(args[0]);
  } else if (args.length === 2) {
    start = loopBound(args[0]);
    stop = loopBound(args[1]);
  } else fail(`loop: wrong number of arguments, expected 1 or 2, but got ${args.length}`);
  if (stop - start > BigInt(MAX_LOOP)) fail(`loop: more than ${MAX_LOOP} iterations`);
  const out: (number | bigint)[] = [];
  for (let i = start; i < stop; i++) out.push(intValue(i));
  return out;
}

/** consul-template's Scratch: a per-render key/value pad (`scratch.Set "k" "v"`). */
export function newScratch(): object {
  const values = new Map<string, unknown>();
  const mapSet = (k: string, mk: string, v: unknown, override: boolean): string => {
    let m = values.get(k);
    if (m === undefined) {
      m = {};
      values.set(k, m);
    }
    if (!isPlainObject(m)) fail(`scratch.MapSet: ${k} is not a map`);
    if (override || !(mk in m)) m[mk] = v;
    return '';
  };
  return defineMethods(goStruct('*template.Scratch', {}), {
    Key: defineFunc(['string'], (k) => values.has(k)),
    Get: defineFunc(['string'], (k) => values.get(k) ?? null),
    Set: defineFunc(['string', 'any'], (k, v) => {
      values.set(k, v);
      return '';
    }),
    SetX: defineFunc(['string', 'any'], (k, v) => {
      if (!values.has(k)) values.set(k, v);
      return '';
    }),
    MapSet: defineFunc(['string', 'string', 'any'], (k, mk, v) => mapSet(k, mk, v, true)),
    MapSetX: defineFunc(['string', 'string', 'any'], (k, mk, v) => mapSet(k, mk, v, false)),
    MapValues: defineFunc(['string'], (k) => {
      const m = values.get(k);
      if (m === undefined) return null;
      if (!isPlainObject(m)) fail(`scratch.MapValues: ${k} is not a map`);
      return Object.keys(m)
        .sort(compareGoStrings)
        .map((key) => m[key]);
    }),
  });
}

export function collectionFunctions(scratch: object): FuncMap {
  return {
    byTag: defineFunc(['any'], (v) => byTag(v)),
    byPort: defineFunc(['any'], (v) => byPort(v)),
    byMeta: defineFunc(['string', 'list'], (meta, services) => byMeta(meta, services)),
    byKey: defineFunc(['list'], (pairs) => byKey(pairs)),
    explode: defineFunc(['list'], (pairs) => explode(pairs)),
    explodeMap: defineFunc(['map'], (m) => explodeMap(m)),
    mergeMap: defineFunc(['map', 'map'], (dst, src) => merge(asMap(dst), asMap(src), false)),
    mergeMapWithOverride: defineFunc(['map', 'map'], (dst, src) => merge(asMap(dst), asMap(src), true)),
    loop: defineVariadic([], 'any', (...args) => loop(args)),
    scratch: defineFunc([], () => scratch),
  };
}
