// Evaluation rows as `eval list`, `eval status` and `job status -evals` print them.
import type { Evaluation } from '../../structs/eval.js';
import { limit } from '../output.js';
import { formatTable, idLength } from './table.js';

/** Nomad's evalFailureStatus: "true"/"false", or "N/A - In Progress" for a blocked evaluation. */
export function evalFailureStatus(ev: Pick<Evaluation, 'FailedTGAllocs' | 'Status'>): { text: string; failed: boolean } {
  const failed = Object.keys(ev.FailedTGAllocs ?? {}).length > 0;
  return { text: ev.Status === 'blocked' ? 'N/A - In Progress' : String(failed), failed };
}

/** Nomad's formatEvalList (eval list, ambiguous eval prefixes). */
export function formatEvalList(evals: Evaluation[], verbose: boolean): string {
  const n = idLength(verbose);
  const rows: string[][] = [['ID', 'Priority', 'Triggered By', 'Job ID', 'Namespace', 'Node ID', 'Status', 'Placement Failures']];
  for (const e of evals) rows.push([limit(e.ID, n), String(e.Priority), e.TriggeredBy, e.JobID, e.Namespace, limit(e.NodeID, n), e.Status, evalFailureStatus(e).text]);
  return formatTable(rows);
}
