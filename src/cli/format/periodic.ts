// What `job run` and `job status` say about a periodic job's next launch, computed client-side as
// Nomad's CLI does: "2024-09-15T14:41:25Z (2s from now)", the time in the job's time zone.
import { formatInZone, nextLaunch } from '../../structs/cron.js';
import { formatDuration } from '../../structs/duration.js';
import type { Job } from '../../structs/job.js';

/** The next launch after `nowMs` with how far away it is; undefined when there is none or the spec does not parse. */
export function nextLaunchText(job: Pick<Job, 'Periodic'>, nowMs: number): string | undefined {
  const p = job.Periodic;
  if (!p) return undefined;
  let next: Date | null;
  try {
    next = nextLaunch(p, new Date(nowMs));
  } catch {
    return undefined;
  }
  if (!next) return undefined;
  const secs = Math.round((next.getTime() - nowMs) / 1000);
  return `${formatInZone(next, p.TimeZone)} (${formatDuration(secs * 1e9)} from now)`;
}
