// Nomad-provider service check results as Nomad's CLI prints them: the "Nomad Service Checks:"
// table of `alloc status` (command/alloc_status.go formatAllocNomadServiceChecks) and the
// per-check blocks of `alloc checks` (command/alloc_checks.go).
import type { AllocCheckStatuses, CheckQueryResult } from '../../structs/checks.js';
import { formatList, formatTime } from '../output.js';

const taskName = (r: CheckQueryResult): string => r.Task || '(group)';

/** Go's sort.Strings order (bytewise). */
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The `alloc status` section, or undefined when the allocation has no checks (Nomad prints nothing then). */
export function formatAllocNomadServiceChecks(statuses: AllocCheckStatuses): string | undefined {
  const results = Object.values(statuses);
  if (results.length === 0) return undefined;
  const rows = results.map((r) => [r.Service, taskName(r), r.Check, r.Mode, r.Status].join('|')).sort(byBytes);
  return `Nomad Service Checks:\n${formatList(['Service|Task|Name|Mode|Status', ...rows])}`;
}

/** The `alloc checks` listing: a count, then one key = value block per check. */
export function formatAllocChecks(statuses: AllocCheckStatuses): string {
  const results = Object.values(statuses).sort((a, b) => byBytes(`${a.Service}|${taskName(a)}|${a.Check}`, `${b.Service}|${taskName(b)}|${b.Check}`));
  const out = [`Status of ${results.length} Nomad Service Checks`, ''];
  for (const r of results) {
    const rows = [`ID|=|${r.ID}`, `Name|=|${r.Check}`, `Group|=|${r.Group}`, `Task|=|${taskName(r)}`, `Service|=|${r.Service}`, `Status|=|${r.Status}`];
    if ((r.StatusCode ?? 0) > 0) rows.push(`StatusCode|=|${r.StatusCode}`);
    rows.push(`Mode|=|${r.Mode}`, `Timestamp|=|${r.Timestamp ? formatTime(r.Timestamp * 1000) : 'N/A'}`, `Output|=|${r.Output}`);
    out.push(formatList(rows), '');
  }
  return out.join('\n');
}
