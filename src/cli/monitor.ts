// The evaluation monitor `job run`, `job stop`, `job dispatch`, `job revert` and `job eval` print
// (Nomad's command/monitor.go): it follows an evaluation and its allocations until the
// evaluation finishes, printing each change with a timestamp, and explains placement failures.
// Exit code: 0 when everything was placed, 2 when placements failed.
import { ApiError, type RoamApi } from '../api/index.js';
import { explainFailures } from '../structs/alloc-metrics.js';
import type { AllocListStub } from '../structs/alloc.js';
import type { Evaluation } from '../structs/eval.js';
import { isTerminalEval } from '../structs/eval.js';
import type { CommandIO } from './command.js';
import { formatTime, limit } from './output.js';

export interface MonitorOptions {
  verbose: boolean;
  /** Poll interval in ms (Nomad's updateWait is 1 s; blocking queries make it responsive). */
  pollMs?: number;
  now?: () => number;
}

function triggerLine(ev: Evaluation): string {
  switch (ev.TriggeredBy) {
    case 'node-update':
    case 'node-drain':
      return `Evaluation triggered by node ${JSON.stringify(ev.NodeID)}`;
    case 'alloc-stop':
    case 'alloc-failure':
    case 'job-register':
    case 'job-deregister':
    case 'periodic-job':
    case 'deployment-watcher':
    case 'rolling-update':
      return `Evaluation triggered by job ${JSON.stringify(ev.JobID)}`;
    default:
      return `Evaluation triggered by job ${JSON.stringify(ev.JobID)}`;
  }
}

export async function monitorEval(api: RoamApi, evalID: string, io: CommandIO, opts: MonitorOptions): Promise<number> {
  const now = opts.now ?? Date.now;
  const n = opts.verbose ? 36 : 8;
  const info = (msg: string): void => io.out(`==> ${formatTime(now())}: ${msg}\n`);
  const out = (msg: string): void => io.out(`    ${formatTime(now())}: ${msg}\n`);
  info(`Monitoring evaluation ${JSON.stringify(limit(evalID, n))}`);
  let lastStatus = '';
  let index = 0;
  let announcedTrigger = false;
  let announcedDeployment = false;
  const seen = new Set<string>();
  const currentID = evalID;
  for (;;) {
    let ev: Evaluation;
    try {
      const r = await api.evaluations.info(currentID, { index, wait: opts.pollMs ?? 1000 });
      ev = r.data;
      index = r.meta.lastIndex;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        io.err(`No evaluation with id ${JSON.stringify(currentID)} found\n`);
        return 1;
      }
      throw err;
    }
    if (!announcedTrigger) {
      out(triggerLine(ev));
      announcedTrigger = true;
    }
    if (ev.DeploymentID && !announcedDeployment) {
      out(`Evaluation within deployment: ${JSON.stringify(limit(ev.DeploymentID, n))}`);
      announcedDeployment = true;
    }
    const allocs: AllocListStub[] = (await api.evaluations.allocations(currentID)).data;
    for (const a of allocs.sort((x, y) => x.CreateIndex - y.CreateIndex)) {
      if (!seen.has(a.ID)) out(`Allocation ${JSON.stringify(limit(a.ID, n))} created: node ${JSON.stringify(limit(a.NodeID, n))}, group ${JSON.stringify(a.TaskGroup)}`);
      seen.add(a.ID);
    }
    if (ev.Status !== lastStatus) {
      if (lastStatus !== '') out(`Evaluation status changed: ${JSON.stringify(lastStatus)} -> ${JSON.stringify(ev.Status)}`);
      else if (isTerminalEval(ev.Status)) out(`Evaluation status changed: "pending" -> ${JSON.stringify(ev.Status)}`);
      lastStatus = ev.Status;
    }
    if (!isTerminalEval(ev.Status)) continue;
    if (ev.Status === 'complete' && ev.NextEval && !ev.FailedTGAllocs) {
      // A follow-up evaluation continues this one (a delayed reschedule or a rolling update).
      const next = (await api.evaluations.info(ev.NextEval)).data;
      if (next.Wait > 0) out(`Monitoring next evaluation ${JSON.stringify(limit(next.ID, n))} in ${Math.round(next.Wait / 1e9)}s`);
    }
    const failed = ev.FailedTGAllocs && Object.keys(ev.FailedTGAllocs).length > 0;
    if (failed) {
      info(`Evaluation ${JSON.stringify(limit(ev.ID, n))} finished with status ${JSON.stringify(ev.Status)} but failed to place all allocations:`);
      for (const line of explainFailures(ev.FailedTGAllocs, '  ')) out(line);
      if (ev.BlockedEval) out(`Evaluation ${JSON.stringify(limit(ev.BlockedEval, n))} waiting for additional capacity to place remainder`);
      return 2;
    }
    info(`Evaluation ${JSON.stringify(limit(ev.ID, n))} finished with status ${JSON.stringify(ev.Status)}`);
    return ev.Status === 'complete' ? 0 : 1;
  }
}
