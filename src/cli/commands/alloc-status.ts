// `roam alloc status ALLOC`: one allocation in detail (Nomad's command/alloc_status.go), with its
// Nomad Service Checks read from the client. An ambiguous prefix lists the matches and exits 0,
// as Nomad does.
import type { AllocResourceUsage, RoamApi } from '../../api/index.js';
import { nanosToMs, parseGoTime } from '../../structs/time.js';
import { defineCommand, UsageError } from '../command.js';
import { formatKV, prettyTimeDiff } from '../output.js';
import { formatAllocBasicInfo, formatAllocNetworkInfo, formatPlacementMetrics, formatShortTaskStatus, formatTaskDetails } from '../format/alloc-detail.js';
import { formatAllocListStubs, maxRunDeadline } from '../format/allocs.js';
import { formatAllocNomadServiceChecks } from '../format/checks.js';
import { allocsByPrefix } from '../format/prefix.js';
import { formatJSON, humanizeIBytes, idLength } from '../format/table.js';
import { columnize } from '../output.js';

/** When the follow-up (reschedule) evaluation may run, if it is still ahead. */
async function futureEvalTime(api: RoamApi, evalID: string, now: number): Promise<string> {
  if (!evalID) return '';
  try {
    const wait = parseGoTime((await api.evaluations.info(evalID)).data.WaitUntil);
    return !wait || now > wait ? '' : prettyTimeDiff(wait, now);
  } catch {
    return '';
  }
}

/** The "Nomad Service Checks:" section; nothing when there are none or the client cannot be reached, as Nomad. */
async function nomadServiceChecks(api: RoamApi, allocID: string, namespace: string): Promise<string | undefined> {
  try {
    return formatAllocNomadServiceChecks(await api.clientFs.allocChecks(allocID, { namespace }));
  } catch {
    return undefined;
  }
}

async function taskStats(api: RoamApi, allocID: string): Promise<AllocResourceUsage['Tasks']> {
  try {
    return (await api.clientFs.allocStats(allocID)).Tasks;
  } catch {
    return {}; // the client may be unreachable: the status is still worth showing
  }
}

/** Nomad's -stats sections: the measured memory and CPU figures of each running task, after its resources. */
function insertTaskStats(details: string[], tasks: AllocResourceUsage['Tasks']): void {
  for (const [name, usage] of Object.entries(tasks)) {
    const at = details.findIndex((l) => l.startsWith(`Task ${JSON.stringify(name)}`));
    if (at < 0) continue;
    const mem = usage.ResourceUsage.MemoryStats;
    const cpu = usage.ResourceUsage.CpuStats;
    const memCols: [string, number][] = [['RSS', mem.RSS], ['Cache', mem.Cache], ['Swap', mem.Swap], ['Usage', mem.Usage], ['Max Usage', mem.MaxUsage], ['Kernel Usage', mem.KernelUsage], ['Kernel Max Usage', mem.KernelMaxUsage]];
    const memMeasured = memCols.filter(([k]) => mem.Measured.includes(k));
    const cpuCols: [string, string][] = [
      ['Percent', `${cpu.Percent.toFixed(2)}%`],
      ['System Mode', `${cpu.SystemMode.toFixed(2)}%`],
      ['Throttled Periods', String(cpu.ThrottledPeriods)],
      ['Throttled Time', String(cpu.ThrottledTime)],
      ['User Mode', `${cpu.UserMode.toFixed(2)}%`],
    ];
    const cpuMeasured = cpuCols.filter(([k]) => cpu.Measured.includes(k));
    const sections = [
      '',
      `Memory Stats\n${columnize([memMeasured.map(([k]) => k), memMeasured.map(([, v]) => humanizeIBytes(v))])}`,
      '',
      `CPU Stats\n${columnize([cpuMeasured.map(([k]) => k), cpuMeasured.map(([, v]) => v)])}`,
    ];
    const resources = details[at + 1]?.startsWith('Task Resources:') ? at + 2 : at + 1;
    details.splice(resources, 0, ...sections);
  }
}

export const allocStatusCommand = defineCommand({
  name: 'alloc status',
  synopsis: 'Display allocation status information and metadata',
  usage: `Usage: roam alloc status [options] <allocation>

  Display information about existing allocations and its tasks. This command can
  be used to inspect the current status of an allocation, including its running
  status, metadata, and verbose failure messages reported by internal
  subsystems.`,
  api: true,
  optionsHelp: `Alloc Status Options:

  -short
    Display short output. Shows only the most recent task event.

  -stats
    Display detailed resource usage statistics.

  -verbose
    Show full information.

  -json
    Output the allocation in its JSON format.`,
  flags: (fs) => {
    fs.bool('short', false, 'Display short output.');
    fs.bool('stats', false, 'Display detailed resource usage statistics.');
    fs.bool('verbose', false, 'Show full information.');
    fs.bool('json', false, 'Output in JSON.');
  },
  async run({ io, api, args, flags }) {
    const verbose = flags.getBool('verbose');
    const json = flags.getBool('json');
    if (args.length === 0 && json) {
      io.out(`${formatJSON((await api.allocations.list()).data)}\n`);
      return 0;
    }
    if (args.length !== 1) throw new UsageError('This command takes one of the following argument conditions:\n * A single <allocation>\n * No arguments, with output format specified');
    const length = idLength(verbose);
    const stubs = await allocsByPrefix(api, args[0] ?? '');
    const first = stubs[0];
    if (stubs.length > 1) {
      io.out(`Prefix matched multiple allocations\n\n${formatAllocListStubs(stubs, verbose, length)}\n`);
      return 0;
    }
    const { data: alloc } = await api.allocations.info(first.ID, { namespace: first.Namespace });
    if (json) {
      io.out(`${formatJSON(alloc)}\n`);
      return 0;
    }
    const now = Date.now();
    const out: string[] = [];
    if (flags.getBool('short')) {
      const rows: [string, string][] = [
        ['ID', alloc.ID],
        ['Name', alloc.Name],
        ['Created', prettyTimeDiff(nanosToMs(alloc.CreateTime), now)],
        ['Modified', prettyTimeDiff(nanosToMs(alloc.ModifyTime), now)],
      ];
      const deadline = maxRunDeadline(alloc.Job, alloc.TaskGroup, alloc.CreateTime);
      if (deadline !== undefined) rows.push(['Max Run Deadline', prettyTimeDiff(deadline, now)]);
      out.push(formatKV(rows), '', formatShortTaskStatus(alloc));
    } else {
      out.push(formatAllocBasicInfo(alloc, length, verbose, { rescheduleEligibility: await futureEvalTime(api, alloc.FollowupEvalID, now) }, now));
      const addrs = formatAllocNetworkInfo(alloc);
      if (addrs) out.push('', addrs);
      const checks = await nomadServiceChecks(api, alloc.ID, alloc.Namespace);
      if (checks) out.push('', checks);
      const details = formatTaskDetails(alloc);
      if (flags.getBool('stats') && alloc.ClientStatus === 'running') insertTaskStats(details, await taskStats(api, alloc.ID));
      out.push(...details);
    }
    if (verbose) out.push('', 'Placement Metrics', formatPlacementMetrics(alloc.Metrics));
    io.out(`${out.join('\n')}\n`);
    return 0;
  },
});
