// The client agent's HTTP API, Nomad's /v1/client/*: the allocation filesystem and logs
// (client-fs.ts), allocation and host resource usage, the results of an allocation's Nomad-provider
// service checks, restarting and signalling tasks. Each route
// is answered by this agent's client role when it runs the allocation and forwarded to the node
// running it otherwise (client-target.ts). Exec, a websocket, lives in exec.ts.
import type { ServerResponse } from 'node:http';
import type { AllocRunner } from '../../client/allocrunner/alloc-runner.js';
import { HostStatsCollector } from '../../client/host-stats.js';
import { BadRequestError, HttpError, NotFoundError } from '../errors.js';
import type { Route, RouteRequest } from '../route.js';
import { clientAllocRoute, clientFsRoutes } from './client-fs.js';
import { FORWARDED_HEADER, proxyHttp, sendJson, type ClientRouteDeps } from './client-target.js';
import { requireObject, stringParam } from './util.js';

export type { ClientRouteDeps } from './client-target.js';

type TaskRunner = NonNullable<ReturnType<AllocRunner['taskRunner']>>;

/** Nomad's AllocResourceUsage: the tasks' usage and their sum. */
async function allocStats(runner: AllocRunner, req: RouteRequest, res: ServerResponse): Promise<void> {
  const only = stringParam(req, 'task');
  if (only && !runner.taskRunner(only)) throw new NotFoundError(`Unknown task name ${JSON.stringify(only)}`);
  const tasks: Record<string, unknown> = {};
  const mem = { RSS: 0, Cache: 0, Swap: 0, Usage: 0, MaxUsage: 0, KernelUsage: 0, KernelMaxUsage: 0, Measured: [] as string[] };
  const cpu = { SystemMode: 0, UserMode: 0, TotalTicks: 0, ThrottledPeriods: 0, ThrottledTime: 0, Percent: 0, Measured: [] as string[] };
  let timestamp = Date.now() * 1_000_000;
  for (const name of Object.keys(runner.taskStates())) {
    const tr = runner.taskRunner(name);
    if (!tr || (only && name !== only) || tr.taskState().State !== 'running') continue;
    let u: Awaited<ReturnType<TaskRunner['stats']>>;
    try {
      u = await tr.stats();
    } catch {
      continue; // exited between the check and the sample
    }
    tasks[name] = { ResourceUsage: { MemoryStats: u.MemoryStats, CpuStats: u.CpuStats, DeviceStats: [] }, Timestamp: u.Timestamp, Pids: null };
    for (const k of ['RSS', 'Cache', 'Swap', 'Usage', 'MaxUsage', 'KernelUsage', 'KernelMaxUsage'] as const) mem[k] += u.MemoryStats[k];
    for (const k of ['SystemMode', 'UserMode', 'TotalTicks', 'ThrottledPeriods', 'ThrottledTime', 'Percent'] as const) cpu[k] += u.CpuStats[k];
    mem.Measured = u.MemoryStats.Measured;
    cpu.Measured = u.CpuStats.Measured;
    timestamp = Math.max(timestamp, u.Timestamp);
  }
  sendJson(res, { ResourceUsage: { MemoryStats: mem, CpuStats: cpu, DeviceStats: [] }, Tasks: tasks, Timestamp: timestamp });
}

function bodyString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new BadRequestError(`${key} must be a string`);
  return v;
}

function namedRunner(runner: AllocRunner, task: string): TaskRunner {
  const tr = runner.taskRunner(task);
  if (!tr) throw new NotFoundError(`Could not find task runner for task: ${task}`);
  return tr;
}

async function actOn(what: string, runners: TaskRunner[], act: (tr: TaskRunner) => Promise<void>): Promise<void> {
  try {
    await Promise.all(runners.map(act));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new BadRequestError(`Failed to ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function restartAlloc(runner: AllocRunner, req: RouteRequest, res: ServerResponse): Promise<void> {
  const body = req.body === undefined ? {} : requireObject(req.body, '{TaskName, AllTasks}');
  const task = bodyString(body, 'TaskName');
  const all = body['AllTasks'] === true;
  if (task && all) throw new BadRequestError('task name cannot be set when restarting all tasks');
  // No task named: every running task (Nomad's RestartRunning); AllTasks: the same here, as
  // finished prestart tasks are not rerun by Roam's runner in place.
  const runners = task ? [namedRunner(runner, task)] : runner.taskRunners().filter((tr) => tr.taskState().State === 'running');
  await actOn('restart task', runners, (tr) => tr.restart('User requested restart'));
  sendJson(res, {});
}

async function signalAlloc(runner: AllocRunner, req: RouteRequest, res: ServerResponse): Promise<void> {
  const body = requireObject(req.body, '{Task, Signal}');
  const task = bodyString(body, 'Task');
  const signal = bodyString(body, 'Signal') || 'SIGKILL';
  const runners = task ? [namedRunner(runner, task)] : runner.taskRunners().filter((tr) => tr.taskState().State === 'running');
  await actOn('signal task', runners, (tr) => tr.signal(signal, 'User requested signal'));
  sendJson(res, {});
}

export function clientRoutes(deps: ClientRouteDeps): Route[] {
  const host = new HostStatsCollector(() => deps.client()?.allocDir ?? '/');
  return [
    ...clientFsRoutes(deps),
    clientAllocRoute(deps, ['GET'], '/v1/client/allocation/:id/stats', allocStats),
    // check ID → latest result (Nomad's AllocCheckStatuses; null when the allocation has no checks).
    clientAllocRoute(deps, ['GET'], '/v1/client/allocation/:id/checks', (runner, _req, res) => sendJson(res, runner.checkResults())),
    clientAllocRoute(deps, ['GET'], '/v1/allocation/:id/checks', (runner, _req, res) => sendJson(res, runner.checkResults())),
    clientAllocRoute(deps, ['PUT', 'POST'], '/v1/client/allocation/:id/restart', restartAlloc),
    clientAllocRoute(deps, ['PUT', 'POST'], '/v1/client/allocation/:id/signal', signalAlloc),
    {
      methods: ['GET'],
      path: '/v1/client/stats',
      stream: async (req, { req: rawReq, res }) => {
        const nodeID = stringParam(req, 'node_id');
        const client = deps.client();
        if (nodeID && nodeID !== client?.nodeID && rawReq.headers[FORWARDED_HEADER] === undefined) {
          const node = deps.server()?.store.snapshot().node(nodeID);
          if (!node) throw new NotFoundError(`Unknown node "${nodeID}"`);
          return proxyHttp(node.HTTPAddr, req, res);
        }
        if (!client) throw new BadRequestError('Client is not enabled on this agent: pass node_id to read a node\'s stats through a server');
        sendJson(res, host.collect());
      },
    },
  ];
}
