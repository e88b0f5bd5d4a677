// An allocation: status and placement, addresses, resource usage over time, its tasks, and the
// actions (restart, stop, signal). A task's own page (events, logs, exec) hangs below it:
// /allocations/<id>/<task>[/logs|/exec]; its files are at /allocations/<id>/fs/<path> (alloc-fs.tsx).
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { restartAlloc, signalAlloc, stopAlloc } from '../api/actions';
import { errorMessage, get } from '../api/client';
import type { Allocation, AllocStats, TaskState } from '../api/types';
import { useWatch } from '../api/watch';
import { Sparkline, type Sample } from '../components/chart';
import { ConfirmButton, KeyValues, PageHeader, Section, Tabs, useNow } from '../components/bits';
import { Empty, ErrorView, Loading, Notice, StaleBanner } from '../components/states';
import { StatusBadge } from '../components/status';
import { DataTable, type Column } from '../components/table';
import { ago, bytes, formatTime, mhz, mib, shortId } from '../lib/format';
import { allocFsPath, allocPath, jobPath, nodePath, taskPath } from '../lib/paths';
import { TaskEvents, TaskExec, TaskLogs } from './task';

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGKILL'];
const STATS_EVERY_MS = 2000;
const STATS_KEEP = 60;

export function AllocPage() {
  const params = useParams<{ id: string; task?: string; tab?: string }>();
  const alloc = useWatch<Allocation>(`/v1/allocation/${encodeURIComponent(params.id)}`);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: ReactNode } | undefined>();

  if (alloc.data === undefined || alloc.error?.status === 404) {
    if (alloc.error) return <ErrorView error={alloc.error} what={`allocation “${params.id}”`} back={{ to: '/jobs', label: 'All jobs' }} />;
    return <Loading what={`allocation ${params.id}`} />;
  }
  const a = alloc.data;
  const task = params.task === undefined ? undefined : decodeURIComponent(params.task);
  const running = a.ClientStatus === 'running';
  const act = async (what: string, fn: () => Promise<unknown>, done: string): Promise<void> => {
    try {
      await fn();
      setNotice({ kind: 'ok', text: done });
    } catch (err) {
      setNotice({ kind: 'error', text: `Could not ${what}: ${errorMessage(err)}` });
    }
  };
  const crumbs = [
    { to: '/jobs', label: 'Jobs' },
    { to: jobPath(a.JobID, a.Namespace), label: a.JobID },
    ...(task ? [{ to: allocPath(a.ID), label: shortId(a.ID) }] : []),
  ];
  return (
    <div className="page">
      <PageHeader
        title={task ? <span data-testid="task-name">{task}</span> : <span className="mono">{shortId(a.ID)}</span>}
        badge={<StatusBadge status={task ? (a.TaskStates?.[task]?.State ?? 'pending') : a.ClientStatus} title={a.ClientDescription} />}
        crumbs={crumbs}
      >
        <Link href={allocFsPath(a.ID, task ?? '')} className="btn" data-testid="alloc-files">
          Files
        </Link>
        {running && <SignalControl onSignal={(sig) => act('signal', () => signalAlloc(a.ID, sig, task), `Sent ${sig}.`)} />}
        {running && <ConfirmButton label={task ? 'Restart task' : 'Restart'} confirm="Yes, restart" testId="restart-alloc" onConfirm={() => act('restart', () => restartAlloc(a.ID, task), task ? `Restarting ${task}.` : 'Restarting the running tasks.')} />}
        {a.DesiredStatus === 'run' && <ConfirmButton label="Stop" confirm="Yes, stop allocation" danger testId="stop-alloc" onConfirm={() => act('stop', () => stopAlloc(a.ID), 'Allocation stopping; the scheduler replaces it if the job still wants it.')} />}
      </PageHeader>
      {notice && (
        <Notice kind={notice.kind} onClose={() => setNotice(undefined)}>
          {notice.text}
        </Notice>
      )}
      <StaleBanner error={alloc.error} />
      {task ? <TaskView alloc={a} task={task} tab={params.tab ?? ''} /> : <AllocOverview alloc={a} />}
    </div>
  );
}

function SignalControl({ onSignal }: { onSignal: (sig: string) => Promise<void> }) {
  const [sig, setSig] = useState('SIGHUP');
  return (
    <span className="inline-control">
      <select aria-label="Signal" value={sig} onChange={(e) => setSig(e.target.value)}>
        {SIGNALS.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <button type="button" className="btn" onClick={() => void onSignal(sig)}>
        Signal
      </button>
    </span>
  );
}

function ports(a: Allocation): { label: string; addr: string; to: number }[] {
  const out: { label: string; addr: string; to: number }[] = [];
  const shared = a.AllocatedResources?.Shared;
  for (const p of shared?.Ports ?? []) out.push({ label: p.Label, addr: `${p.HostIP}:${p.Value}`, to: p.To });
  if (out.length === 0)
    for (const n of shared?.Networks ?? []) for (const p of [...(n.ReservedPorts ?? []), ...(n.DynamicPorts ?? [])]) out.push({ label: p.Label, addr: `${n.IP}:${p.Value}`, to: p.To });
  return out;
}

function AllocOverview({ alloc: a }: { alloc: Allocation }) {
  const now = useNow();
  const [, navigate] = useLocation();
  const tasks = Object.entries(a.TaskStates ?? {}).sort(([x], [y]) => (x < y ? -1 : 1));
  const group = a.Job?.TaskGroups?.find((g) => g.Name === a.TaskGroup);
  const driverOf = (t: string): string => group?.Tasks?.find((x) => x.Name === t)?.Driver ?? '';
  const cols: Column<[string, TaskState]>[] = [
    {
      key: 'name',
      header: 'Task',
      sort: ([n]) => n,
      cell: ([n]) => (
        <Link href={taskPath(a.ID, n)} className="strong">
          {n}
        </Link>
      ),
    },
    { key: 'state', header: 'State', sort: ([, t]) => t.State, cell: ([, t]) => <StatusBadge status={t.Failed ? 'failed' : t.State} /> },
    { key: 'driver', header: 'Driver', cell: ([n]) => <span className="mono">{driverOf(n)}</span> },
    { key: 'last', header: 'Last event', cell: ([, t]) => lastEvent(t) },
    { key: 'time', header: 'Time', cell: ([, t]) => ago(t.Events?.[t.Events.length - 1]?.Time, now) },
    { key: 'restarts', header: 'Restarts', sort: ([, t]) => t.Restarts, cell: ([, t]) => t.Restarts, className: 'num' },
    {
      key: 'links',
      header: '',
      cell: ([n, t]) => (
        <span className="row-links">
          <Link href={taskPath(a.ID, n, 'logs')}>Logs</Link>
          {t.State === 'running' && <Link href={taskPath(a.ID, n, 'exec')}>Exec</Link>}
        </span>
      ),
    },
  ];
  const p = ports(a);
  return (
    <>
      <div className="grid-2">
        <Section title="Details">
          <KeyValues
            testId="alloc-facts"
            items={[
              ['ID', <span className="mono">{a.ID}</span>],
              ['Name', <span className="mono">{a.Name}</span>],
              ['Job', <Link href={jobPath(a.JobID, a.Namespace)}>{a.JobID}</Link>],
              ['Job version', a.Job?.Version ?? a.JobVersion],
              ['Client', <Link href={nodePath(a.NodeID)}>{a.NodeName || shortId(a.NodeID)}</Link>],
              ['Desired', `${a.DesiredStatus}${a.DesiredDescription ? ` — ${a.DesiredDescription}` : ''}`],
              ['Client status', `${a.ClientStatus}${a.ClientDescription ? ` — ${a.ClientDescription}` : ''}`],
              ['Created', `${formatTime(a.CreateTime)} (${ago(a.CreateTime, now)})`],
              ['Modified', `${formatTime(a.ModifyTime)} (${ago(a.ModifyTime, now)})`],
              ...(a.PreviousAllocation ? ([['Replaces', <Link href={allocPath(a.PreviousAllocation)}>{shortId(a.PreviousAllocation)}</Link>]] as [ReactNode, ReactNode][]) : []),
              ...(a.NextAllocation ? ([['Replaced by', <Link href={allocPath(a.NextAllocation)}>{shortId(a.NextAllocation)}</Link>]] as [ReactNode, ReactNode][]) : []),
            ]}
          />
        </Section>
        <Section title="Resource usage">
          <AllocCharts alloc={a} />
        </Section>
      </div>
      <Section title="Tasks">
        <DataTable label="Tasks" testId="tasks-table" rows={tasks} columns={cols} rowKey={([n]) => n} onOpen={([n]) => navigate(taskPath(a.ID, n))} empty={<Empty title="No task has started yet">The client reports task states once it runs the allocation.</Empty>} />
      </Section>
      <Section title="Addresses">
        {p.length === 0 ? (
          <p className="muted">This allocation has no ports. Ports come from the group’s network block.</p>
        ) : (
          <table className="table" data-testid="alloc-ports">
            <thead>
              <tr>
                <th>Label</th>
                <th>Host address</th>
                <th>Mapped to</th>
              </tr>
            </thead>
            <tbody>
              {p.map((x) => (
                <tr key={x.label}>
                  <td className="mono">{x.label}</td>
                  <td className="mono">
                    <a href={`http://${x.addr}`} target="_blank" rel="noreferrer">
                      {x.addr}
                    </a>
                  </td>
                  <td className="mono">{x.to > 0 ? x.to : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}

function lastEvent(t: TaskState): string {
  const e = t.Events?.[t.Events.length - 1];
  if (!e) return '–';
  return `${e.Type}${e.DisplayMessage ? `: ${e.DisplayMessage}` : ''}`;
}

/** CPU and memory of a running allocation, sampled every 2 s while the page is open. */
function AllocCharts({ alloc: a }: { alloc: Allocation }) {
  const [cpu, setCpu] = useState<Sample[]>([]);
  const [mem, setMem] = useState<Sample[]>([]);
  const [error, setError] = useState<string | undefined>();
  const running = a.ClientStatus === 'running';
  useEffect(() => {
    if (!running) return undefined;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      try {
        const { data } = await get<AllocStats>(`/v1/client/allocation/${a.ID}/stats`, controller.signal);
        const t = Date.now();
        const u = data.ResourceUsage;
        setCpu((s) => [...s, { t, v: u.CpuStats.TotalTicks }].slice(-STATS_KEEP));
        setMem((s) => [...s, { t, v: u.MemoryStats.RSS || u.MemoryStats.Usage }].slice(-STATS_KEEP));
        setError(undefined);
      } catch (err) {
        if (controller.signal.aborted) return;
        setError(errorMessage(err));
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void tick(), STATS_EVERY_MS);
    };
    void tick();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [a.ID, running]);
  const res = Object.values(a.AllocatedResources?.Tasks ?? {});
  const cpuMax = res.reduce((n, r) => n + (r.Cpu?.CpuShares ?? 0), 0);
  const memMax = res.reduce((n, r) => n + (r.Memory?.MemoryMB ?? 0), 0);
  if (!running)
    return (
      <div>
        <p className="muted">Usage is sampled while the allocation runs.</p>
        <KeyValues items={[['Reserved CPU', mhz(cpuMax)], ['Reserved memory', mib(memMax)], ['Disk', mib(a.AllocatedResources?.Shared?.DiskMB ?? 0)]]} />
      </div>
    );
  return (
    <div className="charts" data-testid="alloc-charts">
      {error && <p className="warn small">Stats unavailable: {error}</p>}
      <Sparkline samples={cpu} max={cpuMax} label="CPU" format={(v) => mhz(Math.round(v))} />
      <Sparkline samples={mem} max={memMax * 1024 * 1024} label="Memory" format={bytes} />
    </div>
  );
}

function TaskView({ alloc: a, task, tab }: { alloc: Allocation; task: string; tab: string }) {
  const state = a.TaskStates?.[task];
  const tabs = [
    { to: taskPath(a.ID, task), label: 'Events', exact: true },
    { to: taskPath(a.ID, task, 'logs'), label: 'Logs' },
    { to: taskPath(a.ID, task, 'exec'), label: 'Exec' },
  ];
  const exists = state !== undefined || (a.Job?.TaskGroups?.find((g) => g.Name === a.TaskGroup)?.Tasks ?? []).some((t) => t.Name === task);
  if (!exists)
    return (
      <ErrorView
        error={new Error(`Allocation ${shortId(a.ID)} has no task named “${task}”.`)}
        what="task"
        back={{ to: allocPath(a.ID), label: `Allocation ${shortId(a.ID)}` }}
      />
    );
  return (
    <>
      <Tabs tabs={tabs} />
      {tab === 'logs' ? <TaskLogs alloc={a} task={task} /> : tab === 'exec' ? <TaskExec alloc={a} task={task} /> : <TaskEvents alloc={a} task={task} />}
    </>
  );
}
