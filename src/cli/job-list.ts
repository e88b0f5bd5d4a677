// The job list table shared by `roam status` and `roam job status` (Nomad's layout:
// ID, Type, Priority, Status, Submit Date; Namespace too when listing all namespaces).
import type { JobListStub } from '../structs/job.js';
import { formatList, formatTime } from './output.js';

export function jobListRows(jobs: JobListStub[], withNamespace: boolean): string {
  const rows: string[][] = [withNamespace ? ['ID', 'Namespace', 'Type', 'Priority', 'Status', 'Submit Date'] : ['ID', 'Type', 'Priority', 'Status', 'Submit Date']];
  for (const j of jobs) {
    const type = j.Periodic ? `${j.Type}/periodic` : j.ParameterizedJob ? `${j.Type}/parameterized` : j.Type;
    const status = j.Stop && j.Status === 'dead' ? 'dead (stopped)' : j.Status;
    const submit = formatTime(Math.floor(j.SubmitTime / 1_000_000));
    rows.push(withNamespace ? [j.ID, j.Namespace, type, String(j.Priority), status, submit] : [j.ID, type, String(j.Priority), status, submit]);
  }
  return formatList(rows);
}
