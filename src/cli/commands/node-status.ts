// `roam node status [NODE]`: the client nodes, or one node in detail — header, drivers, events,
// allocated resources, allocations and, with -verbose, its attributes and meta in `key = value`
// form (Nomad's command/node_status.go). Live host statistics are not collected by Roam yet.
import type { RoamApi } from '../../api/index.js';
import type { Allocation } from '../../structs/alloc.js';
import type { Node } from '../../structs/node.js';
import { parseGoTime } from '../../structs/time.js';
import { defineCommand, UsageError } from '../command.js';
import { formatKV, formatTime, limit } from '../output.js';
import { formatAllocList } from '../format/allocs.js';
import { localNodeID, resolveNode } from '../format/nodes.js';
import { formatJSON, formatTable, humanizeIBytes, idLength, MiB } from '../format/table.js';

const sortedKeys = (o: Record<string, unknown> | null | undefined): string[] => Object.keys(o ?? {}).sort();

/** Nomad's formatDrain. */
function formatDrain(n: Node): string {
  const d = n.DrainStrategy;
  if (!d) return 'false';
  let s = 'true';
  const force = parseGoTime(d.ForceDeadline);
  if (d.DrainSpec.Deadline < 0) s += '; force drain';
  else if (!force) s += '; no deadline';
  else s += `; ${formatTime(force)} deadline`;
  if (d.DrainSpec.IgnoreSystemJobs) s += '; ignoring system jobs';
  return s;
}

function driverStatus(n: Node): string {
  const out: string[] = [];
  for (const [name, info] of Object.entries(n.Drivers ?? {})) {
    if (!info.Detected) continue;
    out.push(info.Healthy ? name : `${name} (unhealthy)`);
  }
  return out.sort().join(',');
}

/** Drivers the fingerprint marked usable (`driver.<name> = 1`), as the -short view lists them. */
function attributeDrivers(n: Node): string {
  return Object.entries(n.Attributes ?? {})
    .filter(([k, v]) => /^driver\.[^.]+$/.test(k) && v === '1')
    .map(([k]) => k.slice('driver.'.length))
    .sort()
    .join(',');
}

function allocatedResources(n: Node, running: Allocation[]): string {
  let cpu = 0;
  let mem = 0;
  let disk = 0;
  for (const a of running) {
    for (const t of Object.values(a.AllocatedResources?.Tasks ?? {})) {
      cpu += t.Cpu.CpuShares;
      mem += t.Memory.MemoryMB;
    }
    disk += a.AllocatedResources?.Shared.DiskMB ?? 0;
  }
  const r = n.NodeResources;
  const res = n.ReservedResources;
  const totalCPU = r.Cpu.CpuShares - (res?.Cpu.CpuShares ?? 0);
  const totalMem = r.Memory.MemoryMB - (res?.Memory.MemoryMB ?? 0);
  const totalDisk = r.Disk.DiskMB - (res?.Disk.DiskMB ?? 0);
  return formatTable([
    ['CPU', 'Memory', 'Disk', 'Alloc Count'],
    [`${cpu}/${totalCPU} MHz`, `${humanizeIBytes(mem * MiB)}/${humanizeIBytes(totalMem * MiB)}`, `${humanizeIBytes(disk * MiB)}/${humanizeIBytes(totalDisk * MiB)}`, String(running.length)],
  ]);
}

function nodeEvents(n: Node, verbose: boolean): string {
  const rows: string[][] = [verbose ? ['Time', 'Subsystem', 'Message', 'Details'] : ['Time', 'Subsystem', 'Message']];
  for (const e of [...(n.Events ?? [])].reverse()) {
    const driver = e.Details?.['driver'];
    const subsystem = driver ? `Driver: ${driver}` : e.Subsystem;
    const row = [formatTime(parseGoTime(e.Timestamp)), subsystem, e.Message];
    if (verbose) row.push(Object.entries(e.Details ?? {}).map(([k, v]) => `${k}: ${v}`).join(', '));
    rows.push(row);
  }
  return formatTable(rows);
}

export function formatNodeDetail(n: Node, allocs: Allocation[], o: { verbose: boolean; short: boolean }): string {
  const length = idLength(o.verbose);
  const basic: [string, string][] = [
    ['ID', n.ID],
    ['Name', n.Name],
    ['Node Pool', n.NodePool],
    ['Class', n.NodeClass],
    ['DC', n.Datacenter],
    ['Drain', formatDrain(n)],
    ['Eligibility', n.SchedulingEligibility],
    ['Status', n.Status],
    ['CSI Controllers', ''],
    ['CSI Drivers', ''],
  ];
  const volumes = sortedKeys(n.HostVolumes).join(',');
  const networks = sortedKeys(n.HostNetworks).join(',');
  const out: string[] = [];
  const allocSection = (): void => {
    out.push('', 'Allocations', formatAllocList(allocs, o.verbose, length));
    if (o.verbose) {
      out.push('', 'Attributes', formatKV(sortedKeys(n.Attributes).map((k) => [k, n.Attributes[k] ?? ''])));
      out.push('', 'Meta', formatKV(sortedKeys(n.Meta).filter((k) => k !== '').map((k) => [k, n.Meta[k] ?? ''])));
    }
  };
  if (o.short) {
    basic.push(['Host Volumes', volumes], ['Host Networks', networks], ['CSI Volumes', ''], ['Drivers', attributeDrivers(n)]);
    out.push(formatKV(basic));
    allocSection();
    return out.join('\n');
  }
  if (!o.verbose) basic.push(['Host Volumes', volumes], ['Host Networks', networks], ['CSI Volumes', ''], ['Driver Status', driverStatus(n)]);
  out.push(formatKV(basic));
  if (o.verbose) {
    const vols = sortedKeys(n.HostVolumes);
    if (vols.length) out.push('', 'Host Volumes', formatTable([['Name', 'ReadOnly', 'Source'], ...vols.map((v) => [v, String(n.HostVolumes?.[v]?.ReadOnly ?? false), n.HostVolumes?.[v]?.Path ?? ''])]));
    const nets = sortedKeys(n.HostNetworks);
    if (nets.length) {
      const net = (name: string, key: string): string => {
        const v = (n.HostNetworks?.[name] as Record<string, unknown> | undefined)?.[key];
        return typeof v === 'string' ? v : '';
      };
      out.push('', 'Host Networks', formatTable([['Name', 'CIDR', 'Interface', 'ReservedPorts'], ...nets.map((x) => [x, net(x, 'CIDR'), net(x, 'Interface'), net(x, 'ReservedPorts')])]));
    }
    const drivers = sortedKeys(n.Drivers).map((d) => {
      const i = n.Drivers[d];
      return [d, String(i?.Detected ?? false), String(i?.Healthy ?? false), i?.HealthDescription ?? '', formatTime(parseGoTime(i?.UpdateTime))];
    });
    out.push('', 'Drivers', formatTable([['Driver', 'Detected', 'Healthy', 'Message', 'Time'], ...drivers]));
  }
  out.push('', 'Node Events', nodeEvents(n, o.verbose));
  out.push('', 'Allocated Resources', allocatedResources(n, allocs.filter((a) => a.ClientStatus === 'running')));
  allocSection();
  return out.join('\n');
}

async function listNodes(api: RoamApi, o: { verbose: boolean; json: boolean; quiet: boolean; os: boolean; allocs: boolean; filter: string; perPage: number; pageToken: string }): Promise<string> {
  const { data: nodes, meta } = await api.nodes.list({ filter: o.filter, perPage: o.perPage, nextToken: o.pageToken, ...(o.os ? { params: { os: 'true' } } : {}) });
  if (o.json) return formatJSON(nodes);
  if (nodes.length === 0) return 'No nodes registered';
  if (o.quiet) return formatTable(nodes.map((n) => [n.ID]));
  const length = idLength(o.verbose);
  const header = ['ID', 'Node Pool', 'DC', 'Name', 'Class', ...(o.os ? ['OS'] : []), ...(o.verbose ? ['Address', 'Version'] : []), 'Drain', 'Eligibility', 'Status', ...(o.allocs ? ['Running Allocs'] : [])];
  const rows: string[][] = [header];
  for (const n of nodes) {
    const row = [limit(n.ID, length), n.NodePool, n.Datacenter, n.Name, n.NodeClass];
    if (o.os) row.push(n.Attributes?.['os.name'] ?? '');
    if (o.verbose) row.push(n.Address, n.Version);
    row.push(String(n.Drain), n.SchedulingEligibility, n.Status);
    if (o.allocs) row.push(String((await api.nodes.allocations(n.ID)).data.filter((a) => a.ClientStatus === 'running').length));
    rows.push(row);
  }
  let text = formatTable(rows);
  if (meta.nextToken) text += `\n\nResults have been paginated. To get the next page run:\n\nroam node status -page-token ${meta.nextToken}`;
  return text;
}

export const nodeStatusCommand = defineCommand({
  name: 'node status',
  synopsis: 'Display status information about nodes',
  usage: `Usage: roam node status [options] <node>

  Display status information about a given node. The list of nodes
  returned includes only nodes which jobs may be scheduled to, and
  includes status and other high-level information.

  If a node ID is passed, information for that specific node will be displayed,
  including resource usage statistics. If no node ID's are passed, then a
  short-hand list of all nodes will be displayed. The -self flag is useful to
  quickly access the status of the local node.`,
  api: true,
  optionsHelp: `Node Status Options:

  -self
    Query the status of the local node.

  -allocs
    Display a count of running allocations for each node.

  -short
    Display short output. Used only when a single node is being
    queried, and drops verbose output about node allocations.

  -verbose
    Display full information.

  -per-page
    How many results to show per page.

  -page-token
    Where to start pagination.

  -filter
    Specifies an expression used to filter query results.

  -os
    Display operating system name.

  -quiet
    Display only node IDs.

  -json
    Output the node in its JSON format.`,
  flags: (fs) => {
    fs.bool('self', false, 'Query the status of the local node.');
    fs.bool('allocs', false, 'Display a count of running allocations for each node.');
    fs.bool('short', false, 'Display short output.');
    fs.bool('verbose', false, 'Display full information.');
    fs.bool('stats', false, 'Display detailed resource usage statistics (not collected by Roam yet).');
    fs.int('per-page', 0, 'How many results to show per page.');
    fs.string('page-token', '', 'Where to start pagination.', '<token>');
    fs.string('filter', '', 'Filter expression.', '<expression>');
    fs.bool('os', false, 'Display operating system name.');
    fs.bool('quiet', false, 'Display only node IDs.');
    fs.bool('json', false, 'Output in JSON.');
  },
  async run({ io, api, args, flags }) {
    if (args.length > 1) throw new UsageError('This command takes either one or no arguments');
    const verbose = flags.getBool('verbose');
    const json = flags.getBool('json');
    const self = flags.getBool('self');
    if (args.length === 0 && !self) {
      const quiet = flags.getBool('quiet');
      if (quiet && (verbose || json)) {
        io.err('-quiet cannot be used with -verbose or -json\n');
        return 1;
      }
      const text = await listNodes(api, { verbose, json, quiet, os: flags.getBool('os'), allocs: flags.getBool('allocs'), filter: flags.getString('filter'), perPage: flags.getInt('per-page'), pageToken: flags.getString('page-token') });
      io.out(`${text}\n`);
      return 0;
    }
    const raw = self ? await localNodeID(api) : (args[0] ?? '');
    const stub = await resolveNode(api, raw, { notFound: 'No node(s) with prefix', verboseList: verbose });
    const { data: node } = await api.nodes.info(stub.ID);
    if (json) {
      io.out(`${formatJSON(node)}\n`);
      return 0;
    }
    const { data: allocs } = await api.nodes.allocations(node.ID);
    io.out(`${formatNodeDetail(node, allocs, { verbose, short: flags.getBool('short') })}\n`);
    return 0;
  },
});
