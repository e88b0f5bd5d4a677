// Decoders for `network` blocks (group level, and the legacy task `resources.network`) and their
// ports. HCL2 puts every `port` block in DynamicPorts; like jobspec2's normalizeNetworkPorts, ports
// with a static value are then moved to ReservedPorts, so `static = 5000` reserves host port 5000.
import type { NetworkResource, Port } from '../structs/index.js';
import type { Api } from './api-types.js';
import { blocksOf, compact, type DecodeContext } from './decode-context.js';
import type { Block } from './hcl/index.js';
import { SCHEMAS } from './schema.js';

function decodePort(dc: DecodeContext, block: Block): Port {
  const a = dc.content(block.body, SCHEMAS.port).attributes;
  const port: Port = {
    Label: block.labels[0] ?? '',
    Value: dc.int(a['static']) ?? 0,
    To: dc.int(a['to']) ?? 0,
    HostNetwork: dc.string(a['host_network']) ?? '',
  };
  const ignore = dc.bool(a['ignore_collision']);
  if (ignore !== undefined) port.IgnoreCollision = ignore;
  return port;
}

export function decodeNetwork(dc: DecodeContext, block: Block, path: string): Api<NetworkResource> {
  dc.mark(path, block.defRange);
  const c = dc.content(block.body, SCHEMAS.network);
  const a = c.attributes;
  const dnsBlock = dc.single(blocksOf(c, 'dns'), 'dns');
  const cniBlock = dc.single(blocksOf(c, 'cni'), 'cni');
  const ports = blocksOf(c, 'port').map((b, i) => {
    dc.mark(`${path} → port "${b.labels[0] ?? i}"`, b.defRange);
    return decodePort(dc, b);
  });
  const legacy = blocksOf(c, 'reserved_ports').map((b) => decodePort(dc, b));
  const dynamic = ports.filter((p) => p.Value <= 0);
  const reserved = [...legacy, ...ports.filter((p) => p.Value > 0)];
  let dns: Api<NetworkResource>['DNS'];
  if (dnsBlock !== undefined) {
    const d = dc.content(dnsBlock.body, SCHEMAS.dns).attributes;
    dns = { Servers: dc.stringList(d['servers']) ?? null, Searches: dc.stringList(d['searches']) ?? null, Options: dc.stringList(d['options']) ?? null };
  }
  let cni: Api<NetworkResource>['CNI'];
  if (cniBlock !== undefined) cni = { Args: dc.stringMap(dc.content(cniBlock.body, SCHEMAS.cni).attributes['args']) ?? null };
  return compact<Api<NetworkResource>>({
    Mode: dc.string(a['mode']) ?? '',
    Device: dc.string(a['device']) ?? '',
    CIDR: dc.string(a['cidr']) ?? '',
    IP: dc.string(a['ip']) ?? '',
    Hostname: dc.string(a['hostname']) ?? '',
    MBits: dc.int(a['mbits']),
    DNS: dns,
    CNI: cni,
    ReservedPorts: reserved.length > 0 ? reserved : undefined,
    DynamicPorts: dynamic.length > 0 ? dynamic : undefined,
  });
}
