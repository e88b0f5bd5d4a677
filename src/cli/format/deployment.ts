// A deployment as `job status` shows its latest one: ID/Status/Description, then the per-group
// "Deployed" table with the optional columns Nomad adds only when some group needs them.
import type { Deployment, DeploymentState } from '../../structs/deployment.js';
import { parseGoTime } from '../../structs/time.js';
import { formatKV, formatTime, limit } from '../output.js';
import { formatTable } from './table.js';

/** Nomad's formatDeploymentGroups. */
export function formatDeploymentGroups(groups: Record<string, DeploymentState>): string {
  const names = Object.keys(groups).sort();
  const states = names.map((n) => groups[n]).filter((s): s is DeploymentState => s !== undefined);
  const autorevert = states.some((s) => s.AutoRevert);
  const canaries = states.some((s) => s.DesiredCanaries > 0);
  const deadline = states.some((s) => s.ProgressDeadline !== 0);
  const header = ['Task Group', ...(autorevert ? ['Auto Revert'] : []), ...(canaries ? ['Promoted'] : []), 'Desired', ...(canaries ? ['Canaries'] : []), 'Placed', 'Healthy', 'Unhealthy', ...(deadline ? ['Progress Deadline'] : [])];
  const rows: string[][] = [header];
  for (const name of names) {
    const s = groups[name];
    if (!s) continue;
    const by = parseGoTime(s.RequireProgressBy);
    rows.push([
      name,
      ...(autorevert ? [String(s.AutoRevert)] : []),
      ...(canaries ? [s.DesiredCanaries > 0 ? String(s.Promoted) : 'N/A'] : []),
      String(s.DesiredTotal),
      ...(canaries ? [String(s.DesiredCanaries)] : []),
      String(s.PlacedAllocs),
      String(s.HealthyAllocs),
      String(s.UnhealthyAllocs),
      ...(deadline ? [by ? formatTime(by) : 'N/A'] : []),
    ]);
  }
  return formatTable(rows);
}

/** The body of `job status`'s "Latest Deployment" section. */
export function formatDeployment(d: Deployment, length: number): string {
  const base = formatKV([
    ['ID', limit(d.ID, length)],
    ['Status', d.Status],
    ['Description', d.StatusDescription],
  ]);
  if (Object.keys(d.TaskGroups ?? {}).length === 0) return base;
  return `${base}\n\nDeployed\n${formatDeploymentGroups(d.TaskGroups)}`;
}
