// CIDR functions, per go-cty-funcs' cidr package (which follows Go's net.ParseCIDR and
// apparentlymart/go-cidr): cidrhost, cidrnetmask, cidrsubnet and cidrsubnets, for IPv4 and IPv6.
// Addresses are handled as bigints; a prefix with host bits set is accepted and masked, as
// Go's ParseCIDR does.
import type { Value } from '../hcl/value.js';
import { argError, intArg, stringArg } from './args.js';
import type { HclFunction } from './types.js';

interface Network {
  /** The network address (host bits cleared). */
  base: bigint;
  prefix: number;
  /** 32 for IPv4, 128 for IPv6. */
  bits: number;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    // Go rejects leading zeros ("010") since they read ambiguously as octal.
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseIPv6(s: string): bigint | undefined {
  let text = s;
  let embedded: bigint[] = [];
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.slice(lastColon + 1).includes('.')) {
    // A trailing dotted quad ("::ffff:10.0.0.1") supplies the last two groups.
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    embedded = [v4 >> 16n, v4 & 0xffffn];
    text = s.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const groups = h.split(':');
    if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => BigInt(`0x${g}`));
  };
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (head === undefined || rest === undefined) return undefined;
  const given = head.length + rest.length + embedded.length;
  let groups: bigint[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    groups = [...head, ...new Array<bigint>(8 - given).fill(0n), ...rest, ...embedded];
  } else groups = [...head, ...embedded];
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseCidr(s: string, index: number, param: string): Network {
  const invalid = (): never => {
    throw argError(index, param, `${JSON.stringify(s)} is not a valid CIDR prefix (expected an address and prefix length, like "10.0.0.0/16" or "fd00::/8")`);
  };
  const slash = s.lastIndexOf('/');
  if (slash < 0) return invalid();
  const addr = s.slice(0, slash);
  const lenText = s.slice(slash + 1);
  const v4 = addr.includes(':') ? undefined : parseIPv4(addr);
  const v6 = v4 === undefined ? parseIPv6(addr) : undefined;
  const bits = v4 !== undefined ? 32 : 128;
  const ip = v4 ?? v6;
  if (ip === undefined || !/^\d{1,3}$/.test(lenText) || Number(lenText) > bits) return invalid();
  const prefix = Number(lenText);
  return { base: ip & mask(prefix, bits), prefix, bits };
}

function mask(prefix: number, bits: number): bigint {
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/** Go's net.IP String(): dotted quad for IPv4, RFC 5952 compressed hex for IPv6. */
export function formatIp(v: bigint, bits: number): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  // Go prints IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) in dotted form.
  if (v >> 32n === 0xffffn) return formatIp(v & 0xffffffffn, 32);
  const groups = Array.from({ length: 8 }, (_, i) => (v >> BigInt(112 - 16 * i)) & 0xffffn);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0n) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0n) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const formatNet = (n: Network): string => `${formatIp(n.base, n.bits)}/${n.prefix}`;

function cidrhost(args: readonly Value[]): string {
  const net = parseCidr(stringArg(args, 0, 'prefix'), 0, 'prefix');
  const num = BigInt(intArg(args, 1, 'hostnum'));
  const hostBits = BigInt(net.bits - net.prefix);
  const max = (1n << hostBits) - 1n;
  const offset = num < 0n ? max + num + 1n : num;
  if (offset < 0n || offset > max) {
    throw argError(1, 'hostnum', `prefix of ${net.prefix} does not accommodate a host numbered ${num}`);
  }
  return formatIp(net.base | offset, net.bits);
}

function cidrsubnet(args: readonly Value[]): string {
  const net = parseCidr(stringArg(args, 0, 'prefix'), 0, 'prefix');
  const newbits = intArg(args, 1, 'newbits');
  const netnum = intArg(args, 2, 'netnum');
  if (newbits < 0) throw argError(1, 'newbits', 'must not be negative');
  if (newbits > 32) throw argError(1, 'newbits', 'may not extend prefix by more than 32 bits');
  const prefix = net.prefix + newbits;
  if (prefix > net.bits) throw argError(1, 'newbits', `insufficient address space to extend prefix of ${net.prefix} by ${newbits}`);
  if (netnum < 0 || BigInt(netnum) >= 1n << BigInt(newbits)) {
    throw argError(2, 'netnum', `prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  }
  const base = net.base | (BigInt(netnum) << BigInt(net.bits - prefix));
  return formatNet({ base, prefix, bits: net.bits });
}

/** Consecutive subnets of the given extra prefix lengths, each aligned to its own size, as go-cidr's NextSubnet packs them. */
function cidrsubnets(args: readonly Value[]): Value {
  const net = parseCidr(stringArg(args, 0, 'prefix'), 0, 'prefix');
  const end = net.base + (1n << BigInt(net.bits - net.prefix));
  let next = net.base;
  const out: Value[] = [];
  let previous: Network | undefined;
  for (let i = 1; i < args.length; i++) {
    const newbits = intArg(args, i, 'newbits');
    if (newbits < 1) throw argError(i, 'newbits', 'must extend prefix by at least one bit');
    if (newbits > 32) throw argError(i, 'newbits', 'may not extend prefix by more than 32 bits');
    const prefix = net.prefix + newbits;
    if (prefix > net.bits) {
      throw argError(i, 'newbits', `would extend prefix to ${prefix} bits, which is too long for an ${net.bits === 32 ? 'IPv4' : 'IPv6'} address`);
    }
    const size = 1n << BigInt(net.bits - prefix);
    const start = ((next + size - 1n) / size) * size;
    if (start + size > end) {
      const after = previous === undefined ? formatNet({ base: net.base - size, prefix, bits: net.bits }) : formatNet(previous);
      throw argError(i, 'newbits', `not enough remaining address space for a subnet with a prefix of ${prefix} bits after ${after}`);
    }
    previous = { base: start, prefix, bits: net.bits };
    out.push(formatNet(previous));
    next = start + size;
  }
  return out;
}

export const networkFunctions: Record<string, HclFunction> = {
  cidrhost: { params: ['prefix', 'hostnum'], impl: cidrhost },
  cidrnetmask: {
    params: ['prefix'],
    impl(args) {
      const net = parseCidr(stringArg(args, 0, 'prefix'), 0, 'prefix');
      return formatIp(mask(net.prefix, net.bits), net.bits);
    },
  },
  cidrsubnet: { params: ['prefix', 'newbits', 'netnum'], impl: cidrsubnet },
  cidrsubnets: { params: ['prefix'], variadic: 'newbits', impl: cidrsubnets },
};
