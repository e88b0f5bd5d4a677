// go-sockaddr templates in agent addresses, as Nomad accepts them for bind_addr, advertise and
// client network_interface (e.g. -network-interface '{{ GetDefaultInterfaces | attr "name" }}'):
// the functions agents use in practice, over the host's interfaces (os.networkInterfaces) and its
// default route (/proc/net/route). A value without "{{" is returned as is.
import fs from 'node:fs';
import os from 'node:os';
import { defineFunc, parseTemplate, type FuncMap } from '../template/index.js';

export interface IfAddr {
  name: string;
  address: string;
  family: 'IPv4' | 'IPv6';
  internal: boolean;
}

export interface HostNetwork {
  addrs: IfAddr[];
  /** Interfaces that carry a default route. */
  defaultInterfaces: string[];
}

export function readHostNetwork(): HostNetwork {
  const addrs: IfAddr[] = [];
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) addrs.push({ name, address: a.address, family: a.family === 'IPv6' ? 'IPv6' : 'IPv4', internal: a.internal });
  }
  const defaultInterfaces: string[] = [];
  try {
    for (const line of fs.readFileSync('/proc/net/route', 'utf8').split('\n').slice(1)) {
      const [iface, dest, , , , , , mask] = line.trim().split(/\s+/);
      if (iface && dest === '00000000' && mask === '00000000' && !defaultInterfaces.includes(iface)) defaultInterfaces.push(iface);
    }
  } catch {
    // no /proc/net/route: no default interface
  }
  return { addrs, defaultInterfaces };
}

function isPrivateV4(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

function attrOf(a: IfAddr, attr: string): string {
  switch (attr.toLowerCase()) {
    case 'name':
      return a.name;
    case 'address':
    case 'ip':
      return a.address;
    case 'type':
      return a.family;
    default:
      throw new Error(`unsupported attribute ${JSON.stringify(attr)} (name, address, type)`);
  }
}

function asList(v: unknown): IfAddr[] {
  if (!Array.isArray(v)) throw new Error('expected a list of interface addresses');
  return v as IfAddr[];
}

function functions(net: HostNetwork): FuncMap {
  const v4 = (l: IfAddr[]): IfAddr[] => l.filter((a) => a.family === 'IPv4');
  const firstIP = (l: IfAddr[], what: string): string => {
    const a = v4(l)[0] ?? l[0];
    if (!a) throw new Error(`no ${what} address found`);
    return a.address;
  };
  const defaults = (): IfAddr[] => net.addrs.filter((a) => net.defaultInterfaces.includes(a.name));
  const privates = (): IfAddr[] => net.addrs.filter((a) => a.family === 'IPv4' && !a.internal && isPrivateV4(a.address));
  const publics = (): IfAddr[] => net.addrs.filter((a) => a.family === 'IPv4' && !a.internal && !isPrivateV4(a.address));
  const match = (l: IfAddr[], attr: string, pattern: string): IfAddr[] => {
    const re = new RegExp(pattern);
    return l.filter((a) => re.test(attrOf(a, attr)));
  };
  return {
    GetAllInterfaces: defineFunc([], () => net.addrs),
    GetDefaultInterfaces: defineFunc([], defaults),
    GetPrivateInterfaces: defineFunc([], privates),
    GetPublicInterfaces: defineFunc([], publics),
    GetPrivateIP: defineFunc([], () => firstIP(privates(), 'private IP')),
    GetPublicIP: defineFunc([], () => firstIP(publics(), 'public IP')),
    GetInterfaceIP: defineFunc(['string'], (name) => firstIP(net.addrs.filter((a) => a.name === name), `interface ${JSON.stringify(name)}`)),
    attr: defineFunc(['string', 'any'], (attr, l) => {
      const a = asList(l)[0];
      if (!a) throw new Error(`attr ${JSON.stringify(attr)}: the list of interface addresses is empty`);
      return attrOf(a, attr);
    }),
    join: defineFunc(['string', 'string', 'any'], (attr, sep, l) => asList(l).map((a) => attrOf(a, attr)).join(sep)),
    include: defineFunc(['string', 'string', 'any'], (attr, pattern, l) => match(asList(l), attr, pattern)),
    exclude: defineFunc(['string', 'string', 'any'], (attr, pattern, l) => {
      const drop = new Set(match(asList(l), attr, pattern));
      return asList(l).filter((a) => !drop.has(a));
    }),
    limit: defineFunc(['int', 'any'], (n, l) => asList(l).slice(0, Number(n))),
  };
}

/** Resolves a go-sockaddr template; throws a sentence naming the setting when it fails or renders empty. */
export function resolveSockaddr(value: string, setting: string, net: HostNetwork = readHostNetwork()): string {
  if (!value.includes('{{')) return value;
  const funcs = functions(net);
  let out: string;
  try {
    out = parseTemplate(setting, value, { funcs }).execute(null, { funcs }).trim();
  } catch (e) {
    throw new Error(`${setting}: cannot resolve the address template ${JSON.stringify(value)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (out === '') throw new Error(`${setting}: the address template ${JSON.stringify(value)} resolved to nothing`);
  return out;
}
