// Evaluations across the cluster, newest first, filtered by status and searched by ID or job; the
// selected one (?eval=<id>, so it can be linked) opens beside the list with its placement failures
// explained and its related evaluations.
import { useMemo, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { Evaluation } from '../api/types';
import { useWatch } from '../api/watch';
import { EvaluationsTable, PlacementFailures } from '../components/allocs';
import { KeyValues, PageHeader, SearchBox, Section, Select } from '../components/bits';
import { ErrorView, Loading, StaleBanner } from '../components/states';
import { StatusBadge } from '../components/status';
import { formatTime, shortId } from '../lib/format';
import { jobPath, nodePath } from '../lib/paths';
import { useQueryState } from '../lib/use-query-state';

const STATUSES = ['blocked', 'pending', 'complete', 'failed', 'canceled'];

export function Evaluations() {
  const evals = useWatch<Evaluation[]>('/v1/evaluations?namespace=*');
  const [params, setParams] = useQueryState();
  const q = (params.get('q') ?? '').toLowerCase();
  const status = params.get('status') ?? '';
  const selected = params.get('eval') ?? '';
  const rows = useMemo(() => (evals.data ?? []).filter((e) => (!q || e.ID.startsWith(q) || e.JobID.toLowerCase().includes(q)) && (!status || e.Status === status)), [evals.data, q, status]);
  return (
    <div className="page">
      <PageHeader title="Evaluations" />
      <div className="toolbar">
        <SearchBox value={params.get('q') ?? ''} onChange={(v) => setParams({ q: v })} placeholder="Search by ID prefix or job" label="Search evaluations" />
        <Select label="Status" value={status} onChange={(v) => setParams({ status: v })} options={[{ value: '', label: 'All' }, ...STATUSES.map((s) => ({ value: s, label: s }))]} testId="filter-eval-status" />
      </div>
      <StaleBanner error={evals.data ? evals.error : undefined} />
      {evals.data === undefined ? (
        evals.error ? (
          <ErrorView error={evals.error} what="evaluations" />
        ) : (
          <Loading what="evaluations" />
        )
      ) : (
        <div className={selected ? 'split' : ''}>
          <EvaluationsTable evals={rows} showJob pageSize={25} onOpen={(e) => setParams({ eval: e.ID })} {...(selected ? { activeId: selected } : {})} />
          {selected && <EvalDetail id={selected} onClose={() => setParams({ eval: '' })} />}
        </div>
      )}
    </div>
  );
}

function EvalDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const ev = useWatch<Evaluation & { RelatedEvals: Evaluation[] | null }>(`/v1/evaluation/${encodeURIComponent(id)}?related=true`);
  return (
    <Section
      title={<span className="mono">Evaluation {shortId(id)}</span>}
      testId="eval-detail"
      actions={
        <button type="button" className="link" onClick={onClose} aria-label="Close">
          ×
        </button>
      }
    >
      {ev.data === undefined ? (
        ev.error ? (
          <ErrorView error={ev.error} what="evaluation" />
        ) : (
          <Loading what="evaluation" />
        )
      ) : (
        <>
          <KeyValues
            items={[
              ['ID', <span className="mono">{ev.data.ID}</span>],
              ['Status', <StatusBadge status={ev.data.Status} />],
              ['Description', ev.data.StatusDescription || '–'],
              ['Job', ev.data.JobID ? <Link href={jobPath(ev.data.JobID, ev.data.Namespace)}>{ev.data.JobID}</Link> : '–'],
              ['Triggered by', ev.data.TriggeredBy],
              ['Type', ev.data.Type],
              ['Priority', ev.data.Priority],
              ...(ev.data.NodeID ? ([['Node', <Link href={nodePath(ev.data.NodeID)} className="mono">{shortId(ev.data.NodeID)}</Link>]] as [ReactNode, ReactNode][]) : []),
              ['Created', formatTime(ev.data.CreateTime)],
              ['Queued', Object.entries(ev.data.QueuedAllocations ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ') || '–'],
            ]}
          />
          <h3 className="sub">Placement</h3>
          {Object.keys(ev.data.FailedTGAllocs ?? {}).length > 0 ? (
            <PlacementFailures failed={ev.data.FailedTGAllocs} testId="eval-failures" />
          ) : ev.data.Status === 'blocked' ? (
            <p className="warn">Blocked: waiting for capacity or a node change to place what the previous evaluation could not.</p>
          ) : (
            <p className="muted">No placement failures.</p>
          )}
          {(ev.data.RelatedEvals ?? []).length > 0 && (
            <>
              <h3 className="sub">Related evaluations</h3>
              <ul className="related">
                {(ev.data.RelatedEvals ?? []).map((r) => (
                  <li key={r.ID}>
                    <Link href={`/evaluations?eval=${r.ID}`} className="mono">
                      {shortId(r.ID)}
                    </Link>{' '}
                    <StatusBadge status={r.Status} /> <span className="muted small">{r.TriggeredBy}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </Section>
  );
}
