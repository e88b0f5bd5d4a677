// network fingerprint: unique.network.ip-address from the configured interface (the first IPv4
// address; `lo` gives 127.0.0.1 in dev mode), NodeResources.Networks / NodeNetworks with that
// address, and the dynamic port range the scheduler may hand out.
import type { NetworkInterfaceInfo } from 'node:os';
import type { FingerprintResult } from './fingerprint.js';

export const DEFAULT_NETWORK_SPEED_MBITS = 1000;

export interface NetworkOptions {
  interfaceName: string;
  minDynamicPort: number;
  maxDynamicPort: number;
}

/** The interface to fingerprint: the configured one, else the first non-internal interface with IPv4, else loopback. */
export function pickInterface(ifaces: NodeJS.Dict<NetworkInterfaceInfo[]>, configured: string): { name: string; addr: NetworkInterfaceInfo | undefined } {
  if (configured) {
    const list = ifaces[configured];
    if (!list) throw new Error(`network interface ${JSON.stringify(configured)} not found (client network_interface)`);
    return { name: configured, addr: list.find((a) => a.family === 'IPv4') ?? list[0] };
  }
  for (const [name, list] of Object.entries(ifaces)) {
    const v4 = list?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return { name, addr: v4 };
  }
  for (const [name, list] of Object.entries(ifaces)) {
    const v4 = list?.find((a) => a.family === 'IPv4');
    if (v4) return { name, addr: v4 };
  }
  return { name: '', addr: undefined };
}

export function fingerprintNetwork(ifaces: NodeJS.Dict<NetworkInterfaceInfo[]>, opts: NetworkOptions): FingerprintResult {
  const { name, addr } = pickInterface(ifaces, opts.interfaceName);
  const ip = addr?.address ?? '127.0.0.1';
  const v6 = addr?.family === 'IPv6';
  return {
    attributes: { 'unique.network.ip-address': ip },
    resources: {
      Networks: [{ Mode: 'host', Device: name, CIDR: `${ip}/${v6 ? 128 : 32}`, IP: ip, Hostname: '', MBits: DEFAULT_NETWORK_SPEED_MBITS, DNS: null, ReservedPorts: null, DynamicPorts: null }],
      NodeNetworks: [
        {
          Mode: 'host',
          Device: name,
          MacAddress: addr?.mac ?? '',
          Speed: DEFAULT_NETWORK_SPEED_MBITS,
          Addresses: [{ Family: v6 ? 'ipv6' : 'ipv4', Alias: 'default', Address: ip, ReservedPorts: '', Gateway: '' }],
        },
      ],
      MinDynamicPort: opts.minDynamicPort,
      MaxDynamicPort: opts.maxDynamicPort,
    },
  };
}
