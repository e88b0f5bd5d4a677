// Topology: every client with what is placed on it — CPU and memory allocated against capacity,
// and each running allocation drawn in proportion to the memory it reserves (hover for the job,
// click to open it). Live through blocking queries on /v1/nodes and /v1/allocations.
import { useMemo } from 'react';
import { Link, useLocation } from 'wouter';
import type { AllocListStub, AllocatedResources, NodeListStub } from '../api/types';
import { useWatch } from '../api/watch';
import { PageHeader } from '../components/bits';
import { Empty, ErrorView, Loading, StaleBanner } from '../components/states';
import { StatusBadge } from '../components/status';
import { mhz, mib, shortId } from '../lib/format';
import { allocPath, nodePath } from '../lib/paths';

type Alloc = AllocListStub & { AllocatedResources: AllocatedResources | null };

function reserved(a: Alloc): { cpu: number; mem: number } {
  let cpu = 0;
  let mem = 0;
  for (const t of Object.values(a.AllocatedResources?.Tasks ?? {})) {
    cpu += t.Cpu?.CpuShares ?? 0;
    mem += t.Memory?.MemoryMB ?? 0;
  }
  return { cpu, mem };
}

function Meter({ label, used, total, format }: { label: string; used: number; total: number; format: (n: number) => string }) {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  return (
    <div className="meter">
      <div className="meter-head">
        <span>{label}</span>
        <span className="small muted">
          {format(used)} / {format(total)} ({Math.round(pct)}%)
        </span>
      </div>
      <div className="capacity-bar">
        <span style={{ width: `${pct}%` }} className={pct > 90 ? 'hot' : ''} />
      </div>
    </div>
  );
}

export function Topology() {
  const nodes = useWatch<NodeListStub[]>('/v1/nodes?resources=true');
  const allocs = useWatch<Alloc[]>('/v1/allocations?resources=true&namespace=*');
  const [, navigate] = useLocation();
  const byNode = useMemo(() => {
    const m = new Map<string, Alloc[]>();
    for (const a of allocs.data ?? []) {
      if (a.DesiredStatus !== 'run' || (a.ClientStatus !== 'running' && a.ClientStatus !== 'pending')) continue;
      m.set(a.NodeID, [...(m.get(a.NodeID) ?? []), a]);
    }
    return m;
  }, [allocs.data]);
  const error = nodes.error ?? allocs.error;
  if (nodes.data === undefined || allocs.data === undefined) return <div className="page">{error && !nodes.data ? <ErrorView error={error} what="the cluster topology" /> : <Loading what="topology" />}</div>;
  let cpuAll = 0;
  let memAll = 0;
  let cpuUsed = 0;
  let memUsed = 0;
  for (const n of nodes.data) {
    cpuAll += (n.NodeResources?.Cpu.CpuShares ?? 0) - (n.ReservedResources?.Cpu.CpuShares ?? 0);
    memAll += (n.NodeResources?.Memory.MemoryMB ?? 0) - (n.ReservedResources?.Memory.MemoryMB ?? 0);
    for (const a of byNode.get(n.ID) ?? []) {
      const r = reserved(a);
      cpuUsed += r.cpu;
      memUsed += r.mem;
    }
  }
  const liveAllocs = [...byNode.values()].reduce((n, l) => n + l.length, 0);
  return (
    <div className="page">
      <PageHeader title="Topology" />
      <StaleBanner error={error} />
      <div className="section cluster-totals" data-testid="topology-totals">
        <div>
          <strong>{nodes.data.length}</strong> {nodes.data.length === 1 ? 'client' : 'clients'} · <strong>{liveAllocs}</strong> running or pending allocations
        </div>
        <Meter label="CPU" used={cpuUsed} total={cpuAll} format={mhz} />
        <Meter label="Memory" used={memUsed} total={memAll} format={mib} />
      </div>
      {nodes.data.length === 0 ? (
        <Empty title="No clients">Start a client agent to run allocations; it appears here with what it runs.</Empty>
      ) : (
        <div className="topology" data-testid="topology">
          {nodes.data.map((n) => {
            const list = byNode.get(n.ID) ?? [];
            const memTotal = Math.max(1, (n.NodeResources?.Memory.MemoryMB ?? 0) - (n.ReservedResources?.Memory.MemoryMB ?? 0));
            const cpuTotal = (n.NodeResources?.Cpu.CpuShares ?? 0) - (n.ReservedResources?.Cpu.CpuShares ?? 0);
            const used = list.reduce((s, a) => ({ cpu: s.cpu + reserved(a).cpu, mem: s.mem + reserved(a).mem }), { cpu: 0, mem: 0 });
            return (
              <div key={n.ID} className="node-card section">
                <div className="node-card-head">
                  <Link href={nodePath(n.ID)} className="strong">
                    {n.Name}
                  </Link>
                  <span className="mono small muted">{shortId(n.ID)}</span>
                  <StatusBadge status={n.Status} />
                  {n.SchedulingEligibility !== 'eligible' && <StatusBadge status="ineligible" />}
                </div>
                <Meter label="CPU" used={used.cpu} total={cpuTotal} format={mhz} />
                <Meter label="Memory" used={used.mem} total={memTotal} format={mib} />
                <div className="alloc-blocks" aria-label={`Allocations on ${n.Name}`}>
                  {list.length === 0 && <span className="muted small">Nothing running here.</span>}
                  {list.map((a) => {
                    const r = reserved(a);
                    return (
                      <button
                        key={a.ID}
                        type="button"
                        className={`alloc-block ab-${a.ClientStatus}`}
                        style={{ width: `calc(${((r.mem / memTotal) * 100).toFixed(2)}% - 3px)` }}
                        title={`${a.JobID} / ${a.TaskGroup} (${shortId(a.ID)}): ${mhz(r.cpu)}, ${mib(r.mem)}, ${a.ClientStatus}`}
                        onClick={() => navigate(allocPath(a.ID))}
                      >
                        <span>{a.JobID}</span>
                      </button>
                    );
                  })}
                </div>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
