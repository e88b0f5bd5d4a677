// Services registered with Nomad's native service discovery (provider "nomad"): the list across
// namespaces, and a service's instances with their addresses, allocations, clients and jobs, and
// each instance's health checks (status and output). Live through blocking queries on /v1/services
// and /v1/service/:name; check results, which the clients keep and serve without blocking queries,
// are read from /v1/client/allocation/:id/checks every few seconds while the page is open.
import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { errorMessage, get } from '../api/client';
import type { CheckQueryResult, ServiceRegistration, ServiceStubs } from '../api/types';
import { useWatch } from '../api/watch';
import { PageHeader, SearchBox, Section, useNow } from '../components/bits';
import { Empty, ErrorView, Loading, StaleBanner } from '../components/states';
import { StatusBadge } from '../components/status';
import { DataTable, type Column } from '../components/table';
import { ago, shortId } from '../lib/format';
import { allocPath, jobPath, nodePath, parseJobRef, servicePath } from '../lib/paths';
import { useQueryState } from '../lib/use-query-state';

interface ServiceRow {
  name: string;
  namespace: string;
  tags: string[];
}

export function Tags({ tags }: { tags: readonly string[] | null }) {
  if (!tags || tags.length === 0) return <span className="muted">–</span>;
  return (
    <span className="tags">
      {tags.map((t) => (
        <span key={t} className="tag">
          {t}
        </span>
      ))}
    </span>
  );
}

export function ServicesList() {
  const services = useWatch<ServiceStubs[]>('/v1/services?namespace=*');
  const [params, setParams] = useQueryState();
  const [, navigate] = useLocation();
  const q = (params.get('q') ?? '').toLowerCase();
  const rows = useMemo<ServiceRow[]>(
    () => (services.data ?? []).flatMap((ns) => (ns.Services ?? []).map((s) => ({ name: s.ServiceName, namespace: ns.Namespace, tags: s.Tags ?? [] }))).filter((r) => !q || r.name.toLowerCase().includes(q) || r.tags.some((t) => t.toLowerCase().includes(q))),
    [services.data, q],
  );
  const cols: Column<ServiceRow>[] = [
    {
      key: 'name',
      header: 'Service',
      sort: (r) => r.name,
      cell: (r) => (
        <Link href={servicePath(r.name, r.namespace)} className="strong">
          {r.name}
        </Link>
      ),
    },
    { key: 'ns', header: 'Namespace', sort: (r) => r.namespace, cell: (r) => r.namespace },
    { key: 'tags', header: 'Tags', cell: (r) => <Tags tags={r.tags} /> },
  ];
  return (
    <div className="page">
      <PageHeader title="Services" />
      <div className="toolbar">
        <SearchBox value={params.get('q') ?? ''} onChange={(v) => setParams({ q: v })} placeholder="Search services by name or tag" label="Search services" />
      </div>
      <StaleBanner error={services.data ? services.error : undefined} />
      {services.data === undefined ? (
        services.error ? <ErrorView error={services.error} what="services" /> : <Loading what="services" />
      ) : (
        <DataTable
          label="Services"
          testId="services-table"
          rows={rows}
          columns={cols}
          rowKey={(r) => `${r.namespace}/${r.name}`}
          onOpen={(r) => navigate(servicePath(r.name, r.namespace))}
          initialSort={{ key: 'name', desc: false }}
          empty={
            <Empty title={q ? 'No service matches' : 'No services are registered'}>
              {!q && (
                <p>
                  A job registers one with a <code>service {'{ provider = "nomad" }'}</code> block in a group or task; it appears here once its allocation runs.
                </p>
              )}
            </Empty>
          }
        />
      )}
    </div>
  );
}

const CHECKS_EVERY_MS = 3000;
/** Allocations whose checks are read at most; more instances than this show no check status. */
const CHECKS_MAX_ALLOCS = 25;

/** Check results by allocation, re-read every few seconds; an allocation that errors keeps its error. */
function useAllocChecks(allocIds: readonly string[]): Map<string, CheckQueryResult[] | { error: string }> {
  const key = [...new Set(allocIds)].sort().slice(0, CHECKS_MAX_ALLOCS).join(',');
  const [results, setResults] = useState(new Map<string, CheckQueryResult[] | { error: string }>());
  useEffect(() => {
    if (key === '') return undefined;
    const ids = key.split(',');
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      const next = new Map<string, CheckQueryResult[] | { error: string }>();
      await Promise.all(
        ids.map(async (id) => {
          try {
            const { data } = await get<Record<string, CheckQueryResult> | null>(`/v1/client/allocation/${encodeURIComponent(id)}/checks`, controller.signal);
            next.set(id, Object.values(data ?? {}));
          } catch (err) {
            next.set(id, { error: errorMessage(err) });
          }
        }),
      );
      if (controller.signal.aborted) return;
      setResults(next);
      timer = setTimeout(() => void tick(), CHECKS_EVERY_MS);
    };
    void tick();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [key]);
  return results;
}

/** An instance's checks: those of its allocation that belong to its service. */
function checksOf(s: ServiceRegistration, byAlloc: Map<string, CheckQueryResult[] | { error: string }>): CheckQueryResult[] | { error: string } | undefined {
  const r = byAlloc.get(s.AllocID);
  if (r === undefined || 'error' in r) return r;
  return r.filter((c) => c.Service === s.ServiceName).sort((a, b) => (a.Check < b.Check ? -1 : 1));
}

function CheckBadges({ checks }: { checks: CheckQueryResult[] | { error: string } | undefined }) {
  if (checks === undefined) return <span className="muted">…</span>;
  if ('error' in checks) return <span className="muted small" title={checks.error}>unavailable</span>;
  if (checks.length === 0) return <span className="muted">no checks</span>;
  return (
    <span className="check-badges">
      {checks.map((c) => (
        <span key={c.ID} title={c.Output}>
          <StatusBadge status={c.Status} title={`${c.Check}: ${c.Output}`} /> <span className="small">{c.Check}</span>
        </span>
      ))}
    </span>
  );
}

function InstanceChecks({ instances, byAlloc }: { instances: readonly ServiceRegistration[]; byAlloc: Map<string, CheckQueryResult[] | { error: string }> }) {
  const now = useNow(1000);
  const rows = instances.flatMap((s) => {
    const c = checksOf(s, byAlloc);
    return c && !('error' in c) ? c.map((r) => ({ s, r })) : [];
  });
  if (rows.length === 0) return null;
  return (
    <Section title="Health checks" testId="service-checks">
      <table className="table checks-table">
        <thead>
          <tr>
            <th>Instance</th>
            <th>Check</th>
            <th>Status</th>
            <th>Mode</th>
            <th>Output</th>
            <th>Checked</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ s, r }) => (
            <tr key={`${s.ID}/${r.ID}`} data-testid={`check-${r.Check}`}>
              <td>
                <span className="mono">{`${s.Address}:${s.Port}`}</span>{' '}
                <Link href={allocPath(s.AllocID)} className="mono small">
                  {shortId(s.AllocID)}
                </Link>
              </td>
              <td className="strong">{r.Check}</td>
              <td>
                <StatusBadge status={r.Status} />
                {r.StatusCode ? <span className="muted small"> HTTP {r.StatusCode}</span> : null}
              </td>
              <td className="small">{r.Mode}</td>
              <td>
                <pre className="check-output">{r.Output || '–'}</pre>
              </td>
              <td className="small">{r.Timestamp ? ago(r.Timestamp * 1e9, now) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function ServicePage() {
  const { ref } = useParams<{ ref: string }>();
  const { id: name, namespace } = parseJobRef(ref);
  const instances = useWatch<ServiceRegistration[]>(`/v1/service/${encodeURIComponent(name)}?namespace=${encodeURIComponent(namespace)}`);
  const [, navigate] = useLocation();
  const byAlloc = useAllocChecks((instances.data ?? []).map((s) => s.AllocID));
  const cols: Column<ServiceRegistration>[] = [
    { key: 'addr', header: 'Address', sort: (s) => `${s.Address}:${String(s.Port).padStart(5, '0')}`, cell: (s) => <span className="mono strong">{`${s.Address}:${s.Port}`}</span> },
    { key: 'alloc', header: 'Allocation', sort: (s) => s.AllocID, cell: (s) => <Link href={allocPath(s.AllocID)} className="mono">{shortId(s.AllocID)}</Link> },
    { key: 'job', header: 'Job', sort: (s) => s.JobID, cell: (s) => <Link href={jobPath(s.JobID, s.Namespace)}>{s.JobID}</Link> },
    { key: 'node', header: 'Client', sort: (s) => s.NodeID, cell: (s) => <Link href={nodePath(s.NodeID)} className="mono">{shortId(s.NodeID)}</Link> },
    { key: 'dc', header: 'Datacenter', sort: (s) => s.Datacenter, cell: (s) => s.Datacenter },
    { key: 'tags', header: 'Tags', cell: (s) => <Tags tags={s.Tags} /> },
    { key: 'checks', header: 'Checks', cell: (s) => <CheckBadges checks={checksOf(s, byAlloc)} /> },
  ];
  return (
    <div className="page">
      <PageHeader title={name} crumbs={[{ to: '/services', label: 'Services' }]} />
      <StaleBanner error={instances.data ? instances.error : undefined} />
      {instances.data === undefined ? (
        instances.error ? <ErrorView error={instances.error} what={`service “${name}”`} back={{ to: '/services', label: 'All services' }} /> : <Loading what="instances" />
      ) : (
        <DataTable
          label="Instances"
          testId="service-instances"
          rows={instances.data}
          columns={cols}
          rowKey={(s) => s.ID}
          onOpen={(s) => navigate(allocPath(s.AllocID))}
          empty={<Empty title="No instances">Nothing is registered under this name now; its allocations may have stopped.</Empty>}
        />
      )}
      {instances.data && <InstanceChecks instances={instances.data} byAlloc={byAlloc} />}
    </div>
  );
}
