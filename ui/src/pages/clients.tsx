// Clients (nodes): the list with status, eligibility and capacity, and a client's page with its
// allocations, drivers, attributes, meta, events and the eligibility toggle. Live through blocking
// queries on /v1/nodes, /v1/node/:id and /v1/node/:id/allocations.
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { setEligibility } from '../api/actions';
import { errorMessage } from '../api/client';
import type { Allocation, Node, NodeListStub } from '../api/types';
import { useWatch } from '../api/watch';
import { AllocationsTable } from '../components/allocs';
import { KeyValues, PageHeader, SearchBox, Section, Select, useNow } from '../components/bits';
import { Empty, ErrorView, Loading, Notice, StaleBanner } from '../components/states';
import { StatusBadge } from '../components/status';
import { DataTable, type Column } from '../components/table';
import { ago, formatTime, mhz, mib, shortId } from '../lib/format';
import { nodePath } from '../lib/paths';
import { useQueryState } from '../lib/use-query-state';

function Capacity({ used, total, format }: { used: number; total: number; format: (n: number) => string }) {
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  return (
    <div className="capacity" title={`${format(used)} of ${format(total)} allocated`}>
      <div className="capacity-bar">
        <span style={{ width: `${pct}%` }} className={pct > 90 ? 'hot' : ''} />
      </div>
      <span className="small muted">
        {format(used)} / {format(total)}
      </span>
    </div>
  );
}

export function ClientsList() {
  const nodes = useWatch<NodeListStub[]>('/v1/nodes?resources=true');
  const [params, setParams] = useQueryState();
  const [, navigate] = useLocation();
  const q = (params.get('q') ?? '').toLowerCase();
  const status = params.get('status') ?? '';
  const rows = useMemo(() => (nodes.data ?? []).filter((n) => (!q || n.Name.toLowerCase().includes(q) || n.ID.startsWith(q)) && (!status || n.Status === status)), [nodes.data, q, status]);
  const cols: Column<NodeListStub>[] = [
    {
      key: 'id',
      header: 'ID',
      sort: (n) => n.ID,
      cell: (n) => (
        <Link href={nodePath(n.ID)} className="mono strong">
          {shortId(n.ID)}
        </Link>
      ),
    },
    { key: 'name', header: 'Name', sort: (n) => n.Name, cell: (n) => n.Name },
    { key: 'status', header: 'Status', sort: (n) => n.Status, cell: (n) => <StatusBadge status={n.Status} title={n.StatusDescription} /> },
    { key: 'elig', header: 'Eligibility', sort: (n) => n.SchedulingEligibility, cell: (n) => (n.Drain ? <StatusBadge status="draining" /> : <StatusBadge status={n.SchedulingEligibility} />) },
    { key: 'address', header: 'Address', sort: (n) => n.Address, cell: (n) => <span className="mono">{n.Address}</span> },
    { key: 'dc', header: 'Datacenter', sort: (n) => n.Datacenter, cell: (n) => n.Datacenter },
    { key: 'pool', header: 'Node pool', sort: (n) => n.NodePool, cell: (n) => n.NodePool },
    { key: 'class', header: 'Class', sort: (n) => n.NodeClass, cell: (n) => n.NodeClass || <span className="muted">–</span> },
    { key: 'drivers', header: 'Drivers', cell: (n) => Object.entries(n.Drivers ?? {}).filter(([, d]) => d.Detected && d.Healthy).map(([k]) => k).sort().join(', ') || <span className="muted">none healthy</span> },
    { key: 'version', header: 'Version', sort: (n) => n.Version, cell: (n) => <span className="mono">{n.Version}</span> },
  ];
  return (
    <div className="page">
      <PageHeader title="Clients" />
      <div className="toolbar">
        <SearchBox value={params.get('q') ?? ''} onChange={(v) => setParams({ q: v })} placeholder="Search clients by name or ID" label="Search clients" />
        <Select label="Status" value={status} onChange={(v) => setParams({ status: v })} options={[{ value: '', label: 'All' }, ...['initializing', 'ready', 'down', 'disconnected'].map((s) => ({ value: s, label: s }))]} />
      </div>
      <StaleBanner error={nodes.data ? nodes.error : undefined} />
      {nodes.data === undefined ? (
        nodes.error ? <ErrorView error={nodes.error} what="clients" /> : <Loading what="clients" />
      ) : (
        <DataTable
          label="Clients"
          testId="clients-table"
          rows={rows}
          columns={cols}
          rowKey={(n) => n.ID}
          onOpen={(n) => navigate(nodePath(n.ID))}
          initialSort={{ key: 'name', desc: false }}
          empty={
            nodes.data.length === 0 ? (
              <Empty title="No clients have registered">
                <p>
                  Start a client agent (<code>roam agent -client -servers ADDR</code>), or a dev agent with both roles (<code>roam agent -dev</code>).
                </p>
              </Empty>
            ) : (
              <Empty title="No client matches these filters" />
            )
          }
        />
      )}
    </div>
  );
}

export function ClientPage() {
  const { id } = useParams<{ id: string }>();
  const node = useWatch<Node>(`/v1/node/${encodeURIComponent(id)}`);
  const allocs = useWatch<Allocation[]>(`/v1/node/${encodeURIComponent(id)}/allocations`);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: ReactNode } | undefined>();
  const [attrFilter, setAttrFilter] = useState('');
  const now = useNow();
  if (node.data === undefined) return node.error ? <ErrorView error={node.error} what={`client “${id}”`} back={{ to: '/clients', label: 'All clients' }} /> : <Loading what="client" />;
  const n = node.data;
  const live = (allocs.data ?? []).filter((a) => a.DesiredStatus === 'run' && (a.ClientStatus === 'running' || a.ClientStatus === 'pending'));
  const cpuUsed = live.reduce((s, a) => s + Object.values(a.AllocatedResources?.Tasks ?? {}).reduce((t, r) => t + (r.Cpu?.CpuShares ?? 0), 0), 0);
  const memUsed = live.reduce((s, a) => s + Object.values(a.AllocatedResources?.Tasks ?? {}).reduce((t, r) => t + (r.Memory?.MemoryMB ?? 0), 0), 0);
  const cpuTotal = (n.NodeResources?.Cpu.CpuShares ?? 0) - (n.ReservedResources?.Cpu.CpuShares ?? 0);
  const memTotal = (n.NodeResources?.Memory.MemoryMB ?? 0) - (n.ReservedResources?.Memory.MemoryMB ?? 0);
  const eligible = n.SchedulingEligibility === 'eligible';
  const toggle = async (): Promise<void> => {
    try {
      await setEligibility(n.ID, !eligible);
      setNotice({ kind: 'ok', text: eligible ? 'The client no longer receives new allocations; running ones stay.' : 'The client receives new allocations again.' });
    } catch (err) {
      setNotice({ kind: 'error', text: `Could not change eligibility: ${errorMessage(err)}` });
    }
  };
  const attrs = Object.entries(n.Attributes ?? {})
    .filter(([k, v]) => !attrFilter || k.includes(attrFilter) || v.includes(attrFilter))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return (
    <div className="page">
      <PageHeader title={n.Name} badge={<StatusBadge status={n.Status} title={n.StatusDescription} />} crumbs={[{ to: '/clients', label: 'Clients' }]}>
        <button type="button" className="btn" onClick={() => void toggle()} data-testid="toggle-eligibility">
          {eligible ? 'Mark ineligible' : 'Mark eligible'}
        </button>
      </PageHeader>
      {notice && (
        <Notice kind={notice.kind} onClose={() => setNotice(undefined)}>
          {notice.text}
        </Notice>
      )}
      <StaleBanner error={node.error} />
      <div className="grid-2">
        <Section title="Details">
          <KeyValues
            testId="client-facts"
            items={[
              ['ID', <span className="mono">{n.ID}</span>],
              ['Address', <span className="mono">{n.HTTPAddr || n.Address}</span>],
              ['Eligibility', <StatusBadge status={n.Drain ? 'draining' : n.SchedulingEligibility} />],
              ['Datacenter', n.Datacenter],
              ['Node pool', n.NodePool],
              ['Class', n.NodeClass || '–'],
              ['Version', n.Version || n.Attributes?.['nomad.version'] || '–'],
              ['Status updated', n.StatusUpdatedAt ? ago(n.StatusUpdatedAt * 1e9, now) : '–'],
            ]}
          />
        </Section>
        <Section title="Allocated resources">
          <div className="capacities">
            <div>
              <strong>CPU</strong>
              <Capacity used={cpuUsed} total={cpuTotal} format={mhz} />
            </div>
            <div>
              <strong>Memory</strong>
              <Capacity used={memUsed} total={memTotal} format={mib} />
            </div>
            <p className="muted small">{live.length} running or pending allocations.</p>
          </div>
        </Section>
      </div>
      <Section title="Allocations">
        {allocs.data === undefined ? (
          allocs.error ? <ErrorView error={allocs.error} what="allocations" /> : <Loading what="allocations" />
        ) : (
          <AllocationsTable allocs={allocs.data} show={['job', 'group']} pageSize={10} empty="Nothing has been placed on this client yet." />
        )}
      </Section>
      <div className="grid-2">
        <Section title="Drivers">
          <table className="table" data-testid="client-drivers">
            <thead>
              <tr>
                <th>Driver</th>
                <th>Detected</th>
                <th>Health</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(n.Drivers ?? {})
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([name, d]) => (
                  <tr key={name}>
                    <td className="mono">{name}</td>
                    <td>{d.Detected ? 'yes' : 'no'}</td>
                    <td>
                      <StatusBadge status={d.Healthy ? 'healthy' : d.Detected ? 'unhealthy' : 'undetected'} title={d.HealthDescription} /> <span className="small muted">{d.HealthDescription}</span>
                    </td>
                    <td className="small">{formatTime(d.UpdateTime)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </Section>
        <Section title="Events">
          {(n.Events ?? []).length === 0 ? (
            <p className="muted">No events.</p>
          ) : (
            <ol className="timeline">
              {[...(n.Events ?? [])].reverse().map((e, i) => (
                <li key={i}>
                  <div className="tl-head">
                    <strong>{e.Subsystem || 'Cluster'}</strong>
                    <span className="muted small">{formatTime(e.Timestamp)}</span>
                  </div>
                  <div className="tl-body">{e.Message}</div>
                </li>
              ))}
            </ol>
          )}
        </Section>
      </div>
      {Object.keys(n.Meta ?? {}).length > 0 && (
        <Section title="Meta">
          <KeyValues items={Object.entries(n.Meta ?? {}).map(([k, v]) => [<span className="mono">{k}</span>, <span className="mono">{v}</span>])} />
        </Section>
      )}
      <Section title="Attributes" actions={<input className="filter-input" placeholder="Filter attributes" value={attrFilter} onChange={(e) => setAttrFilter(e.target.value)} aria-label="Filter attributes" />}>
        {attrs.length === 0 ? <p className="muted">No attribute matches.</p> : <KeyValues testId="client-attributes" items={attrs.map(([k, v]) => [<span className="mono">{k}</span>, <span className="mono">{v}</span>])} />}
      </Section>
    </div>
  );
}
