// `roam eval status EVAL`: one evaluation — its KV header, related evaluations, placed
// allocations and failed placements (Nomad's command/eval_status.go); -monitor follows it.
import type { AllocListStub } from '../../structs/alloc.js';
import { formatAllocMetrics } from '../../structs/alloc-metrics.js';
import type { Evaluation } from '../../structs/eval.js';
import { parseGoTime } from '../../structs/time.js';
import { CommandError, defineCommand, UsageError } from '../command.js';
import { monitorEval } from '../monitor.js';
import { formatKV, formatTime, limit, prettyTimeDiff } from '../output.js';
import { formatAllocListStubs } from '../format/allocs.js';
import { evalFailureStatus, formatEvalList } from '../format/evals.js';
import { requireTwoChars, sanitizeUUIDPrefix } from '../format/prefix.js';
import { formatJSON, formatNanoTime, formatTable, idLength } from '../format/table.js';
import { nanosToMs } from '../../structs/time.js';

interface RelatedEval {
  ID: string;
  Priority: number;
  TriggeredBy: string;
  NodeID: string;
  Status: string;
  StatusDescription: string;
}

function triggerDetails(e: Evaluation): [string, string] | undefined {
  if (e.TriggeredBy === 'node-update' && e.NodeID) return ['Node ID', e.NodeID];
  if (e.TriggeredBy === 'max-plan-attempts' && e.PreviousEval) return ['Previous Eval', e.PreviousEval];
  return undefined;
}

export function formatEvalStatus(e: Evaluation & { RelatedEvals?: unknown[] | null }, placed: AllocListStub[], verbose: boolean, now = Date.now()): string {
  const n = idLength(verbose);
  const failure = evalFailureStatus(e);
  const time = (ns: number): string => (verbose ? formatNanoTime(ns) : prettyTimeDiff(nanosToMs(ns), now));
  const basic: [string, string][] = [
    ['ID', limit(e.ID, n)],
    ['Create Time', time(e.CreateTime)],
    ['Modify Time', time(e.ModifyTime)],
    ['Status', e.Status],
    ['Status Description', e.StatusDescription || e.Status],
    ['Type', e.Type],
    ['TriggeredBy', e.TriggeredBy],
    ['Job ID', e.JobID],
    ['Namespace', e.Namespace],
  ];
  const trig = triggerDetails(e);
  if (trig) basic.push(trig);
  basic.push(['Priority', String(e.Priority)], ['Placement Failures', failure.text]);
  const wait = parseGoTime(e.WaitUntil);
  if (wait) basic.push(['Wait Until', formatTime(wait)]);
  if (e.QuotaLimitReached) basic.push(['Quota Limit Reached', e.QuotaLimitReached]);
  basic.push(['Previous Eval', limit(e.PreviousEval, n)], ['Next Eval', limit(e.NextEval, n)], ['Blocked Eval', limit(e.BlockedEval, n)]);
  const out = [formatKV(basic)];
  const related = (e.RelatedEvals ?? []) as RelatedEval[];
  if (related.length > 0) {
    const rows: string[][] = [['ID', 'Priority', 'Triggered By', 'Node ID', 'Status', 'Description']];
    for (const r of related) rows.push([limit(r.ID, n), String(r.Priority), r.TriggeredBy, limit(r.NodeID, n), r.Status, r.StatusDescription]);
    out.push('', 'Related Evaluations', formatTable(rows));
  }
  if (placed.length > 0) out.push('', 'Placed Allocations', formatAllocListStubs(placed, false, n));
  if (failure.failed) {
    out.push('', 'Failed Placements');
    for (const tg of Object.keys(e.FailedTGAllocs ?? {}).sort()) {
      const m = e.FailedTGAllocs?.[tg];
      if (!m) continue;
      const count = m.CoalescedFailures + 1;
      out.push(`Task Group ${JSON.stringify(tg)} (failed to place ${count} ${count === 1 ? 'allocation' : 'allocations'}):`, ...formatAllocMetrics(m, '  '));
    }
    if (e.BlockedEval) out.push('', `Evaluation ${JSON.stringify(limit(e.BlockedEval, n))} waiting for additional capacity to place remainder`);
  }
  return out.join('\n');
}

export const evalStatusCommand = defineCommand({
  name: 'eval status',
  synopsis: 'Display evaluation status and placement failure reasons',
  usage: `Usage: roam eval status [options] <evaluation>

  Display information about evaluations. This command can be used to inspect the
  current status of an evaluation as well as determine the reason an evaluation
  did not place all allocations.`,
  api: true,
  optionsHelp: `Eval Status Options:

  -monitor
    Monitor an outstanding evaluation

  -verbose
    Show full information.

  -json
    Output the evaluation in its JSON format.`,
  flags: (fs) => {
    fs.bool('monitor', false, 'Monitor an outstanding evaluation.');
    fs.bool('verbose', false, 'Show full information.');
    fs.bool('json', false, 'Output in JSON.');
  },
  async run({ io, api, args, flags }) {
    if (args.length !== 1) throw new UsageError('This command takes one argument');
    const verbose = flags.getBool('verbose');
    const raw = args[0] ?? '';
    requireTwoChars(raw);
    const prefix = sanitizeUUIDPrefix(raw);
    const { data: evals } = await api.evaluations.list({ prefix });
    const first = evals[0];
    if (!first) throw new CommandError(`No evaluation(s) with prefix or id ${JSON.stringify(prefix)} found`);
    if (evals.length > 1) throw new CommandError(`Prefix matched multiple evaluations\n\n${formatEvalList(evals, verbose)}`);
    if (flags.getBool('monitor')) return monitorEval(api, first.ID, io, { verbose });
    const { data: ev } = await api.evaluations.info(first.ID, { params: { related: 'true' } });
    if (flags.getBool('json')) {
      io.out(`${formatJSON(ev)}\n`);
      return 0;
    }
    const { data: placed } = await api.evaluations.allocations(ev.ID);
    io.out(`${formatEvalStatus(ev, placed, verbose)}\n`);
    return 0;
  },
});
