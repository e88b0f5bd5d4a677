// Status badges and the allocation summary bar: the colours mean the same on every page.
import type { TaskGroupSummary } from '../api/types';

const TONES: Record<string, string> = {
  running: 'good',
  ready: 'good',
  complete: 'done',
  successful: 'good',
  success: 'good',
  failure: 'bad',
  alive: 'good',
  eligible: 'good',
  healthy: 'good',
  pending: 'wait',
  starting: 'wait',
  queued: 'wait',
  blocked: 'wait',
  initializing: 'wait',
  draining: 'wait',
  dead: 'muted',
  canceled: 'muted',
  stop: 'muted',
  stopped: 'muted',
  ineligible: 'muted',
  failed: 'bad',
  lost: 'bad',
  down: 'bad',
  unknown: 'warn',
  disconnected: 'warn',
  left: 'muted',
};

export function StatusBadge({ status, title }: { status: string; title?: string }) {
  const tone = TONES[status.toLowerCase()] ?? 'muted';
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {status}
    </span>
  );
}

export const SUMMARY_KEYS = ['Queued', 'Starting', 'Running', 'Complete', 'Failed', 'Lost', 'Unknown'] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

export function sumSummaries(groups: Record<string, TaskGroupSummary> | null | undefined): TaskGroupSummary {
  const total: TaskGroupSummary = { Queued: 0, Starting: 0, Running: 0, Complete: 0, Failed: 0, Lost: 0, Unknown: 0 };
  for (const g of Object.values(groups ?? {})) for (const k of SUMMARY_KEYS) total[k] += g[k] ?? 0;
  return total;
}

/** A stacked bar of allocation counts by client status, with a legend when `legend` is set. */
export function SummaryBar({ summary, legend = false, label }: { summary: TaskGroupSummary; legend?: boolean; label?: string }) {
  const total = SUMMARY_KEYS.reduce((n, k) => n + summary[k], 0);
  const title = SUMMARY_KEYS.filter((k) => summary[k] > 0)
    .map((k) => `${summary[k]} ${k.toLowerCase()}`)
    .join(', ');
  return (
    <div className="summary">
      <div className="summary-bar" role="img" aria-label={label ?? (title || 'no allocations')} title={title || 'no allocations'}>
        {total === 0 ? (
          <span className="summary-empty" />
        ) : (
          SUMMARY_KEYS.map((k) => (summary[k] > 0 ? <span key={k} className={`seg seg-${k.toLowerCase()}`} style={{ flexGrow: summary[k] }} /> : null))
        )}
      </div>
      {legend && (
        <ul className="legend">
          {SUMMARY_KEYS.map((k) => (
            <li key={k} className={summary[k] === 0 ? 'zero' : ''}>
              <span className={`dot seg-${k.toLowerCase()}`} />
              {k} <strong>{summary[k]}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
