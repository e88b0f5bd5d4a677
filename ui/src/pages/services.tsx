// Services registered with Nomad's native service discovery (provider "nomad"): the list across
// namespaces, and a service's instances with their addresses, allocations, clients and jobs.
// Live through blocking queries on /v1/services and /v1/service/:name.
import { useMemo } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import type { ServiceRegistration, ServiceStubs } from '../api/types';
import { useWatch } from '../api/watch';
import { PageHeader, SearchBox } from '../components/bits';
import { Empty, ErrorView, Loading, StaleBanner } from '../components/states';
import { DataTable, type Column } from '../components/table';
import { shortId } from '../lib/format';
import { allocPath, jobPath, nodePath, parseJobRef } from '../lib/paths';
import { useQueryState } from '../lib/use-query-state';

interface ServiceRow {
  name: string;
  namespace: string;
  tags: string[];
}

const servicePath = (name: string, ns: string): string => `/services/${encodeURIComponent(name)}@${encodeURIComponent(ns)}`;

function Tags({ tags }: { tags: readonly string[] | null }) {
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

export function ServicePage() {
  const { ref } = useParams<{ ref: string }>();
  const { id: name, namespace } = parseJobRef(ref);
  const instances = useWatch<ServiceRegistration[]>(`/v1/service/${encodeURIComponent(name)}?namespace=${encodeURIComponent(namespace)}`);
  const [, navigate] = useLocation();
  const cols: Column<ServiceRegistration>[] = [
    { key: 'addr', header: 'Address', sort: (s) => `${s.Address}:${String(s.Port).padStart(5, '0')}`, cell: (s) => <span className="mono strong">{`${s.Address}:${s.Port}`}</span> },
    { key: 'alloc', header: 'Allocation', sort: (s) => s.AllocID, cell: (s) => <Link href={allocPath(s.AllocID)} className="mono">{shortId(s.AllocID)}</Link> },
    { key: 'job', header: 'Job', sort: (s) => s.JobID, cell: (s) => <Link href={jobPath(s.JobID, s.Namespace)}>{s.JobID}</Link> },
    { key: 'node', header: 'Client', sort: (s) => s.NodeID, cell: (s) => <Link href={nodePath(s.NodeID)} className="mono">{shortId(s.NodeID)}</Link> },
    { key: 'dc', header: 'Datacenter', sort: (s) => s.Datacenter, cell: (s) => s.Datacenter },
    { key: 'tags', header: 'Tags', cell: (s) => <Tags tags={s.Tags} /> },
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
    </div>
  );
}
