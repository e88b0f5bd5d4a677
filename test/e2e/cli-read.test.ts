// The CLI's read and operator commands end to end: one dev agent (whose own client node is what
// -self finds), simulated client nodes registered through the internal API (the jobs here use the
// mock driver, which only they have, so their allocations land there), jobs registered through
// the API, and the real `roam` binary asserting Nomad's layouts and exit codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RoamApi } from '../../src/api/index.js';
import type { Allocation, TaskEvent } from '../../src/structs/alloc.js';
import type { Job } from '../../src/structs/job.js';
import { mockBatchJob, mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/structs/mock.js';
import { roam, startAgent, type CliResult, type RunningAgent } from '../helpers/roam.js';
import { waitFor } from '../helpers/wait.js';

let agent: RunningAgent;
let api: RoamApi;
let heartbeat: NodeJS.Timeout | undefined;
/** The simulated node most assertions look at. */
const nodeID = 'cd560000-0000-4000-8000-000000000001';
/** The dev agent's own client node. */
let selfNodeID = '';
const otherNodeID = 'ab120000-0000-4000-8000-000000000002';
const thirdNodeID = 'ab340000-0000-4000-8000-000000000003';
let runningAlloc: Allocation;
const nodeClients = new Map<string, RoamApi>();

const cli = (...args: string[]): CliResult => roam(args, { env: { NOMAD_ADDR: agent.address } });

function event(type: string, ms: number, over: Partial<TaskEvent> = {}): TaskEvent {
  return { Type: type, Time: ms * 1e6, Message: '', DisplayMessage: '', Details: {}, FailsTask: false, RestartReason: '', SetupError: '', DriverError: '', ExitCode: 0, Signal: 0, KillTimeout: 0, KillError: '', KillReason: '', StartDelay: 0, DownloadError: '', ValidationError: '', DiskLimit: 0, FailedSibling: '', VaultError: '', TaskSignalReason: '', TaskSignal: '', DriverMessage: '', GenericSource: '', ...over };
}

const until = <T>(what: string, f: () => Promise<T | undefined>): Promise<T> => waitFor(what, f, 10_000);

const webJob = (over: Partial<Job> = {}): Job => mockJob({ ID: 'web', Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Count: 2 })], ...over });

before(async () => {
  // The test process blocks in spawnSync while CLI commands run, so the simulated nodes' heartbeats may
  // be late; a long TTL keeps them from being marked down mid-test.
  agent = await startAgent(['-dev'], { server: { min_heartbeat_ttl: '5m' } });
  api = new RoamApi({ address: agent.address });
  selfNodeID = (await api.agent.self()).data.stats['client']?.['node_id'] ?? '';
  assert.ok(selfNodeID, 'the dev agent reports a client node_id');
  for (const id of [nodeID, otherNodeID, thirdNodeID]) {
    const node = mockNode({ ID: id, Name: id === nodeID ? 'cli-node' : `node-${id.slice(0, 4)}` });
    // The internal routes authenticate a client by its node secret.
    const client = new RoamApi({ address: agent.address, token: node.SecretID });
    nodeClients.set(id, client);
    await client.internal.registerNode(node);
    await client.internal.updateStatus(id, 'ready');
  }
  heartbeat = setInterval(() => {
    for (const [id, client] of nodeClients) client.internal.updateStatus(id, 'ready').catch(() => undefined);
  }, 3000);
  await api.jobs.register(webJob());
  await api.jobs.register(mockJob({ ID: 'web-2', Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Count: 1 })] }));
  await api.jobs.register(mockBatchJob({ ID: 'nightly', Datacenters: ['*'], Periodic: { Enabled: true, Spec: '0 3 * * *', Specs: null, SpecType: 'cron', ProhibitOverlap: true, TimeZone: 'UTC' } }));
  await api.jobs.register(mockBatchJob({ ID: 'render', Datacenters: ['*'], ParameterizedJob: { Payload: 'optional', MetaRequired: ['input'], MetaOptional: ['quality', 'size'] } }));
  await api.jobs.register(mockJob({ ID: 'needs-qemu', Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Name: 'app', Count: 1, Tasks: [mockTask({ Name: 'app', Driver: 'qemu' })] })] }));
  const allocs = await until('two web allocations', async () => {
    const a = (await api.jobs.allocations('web')).data;
    return a.length === 2 ? a : undefined;
  });
  const first = allocs[0];
  assert.ok(first);
  const now = Date.now();
  const owner = nodeClients.get(first.NodeID);
  assert.ok(owner);
  await owner.internal.updateAllocations(first.NodeID, [
    {
      ID: first.ID,
      ClientStatus: 'running',
      TaskStates: { web: { State: 'running', Failed: false, Restarts: 0, LastRestart: '0001-01-01T00:00:00Z', StartedAt: new Date(now).toISOString(), FinishedAt: '0001-01-01T00:00:00Z', Events: [event('Received', now - 2000), event('Task Setup', now - 1500, { Message: 'Building Task Directory' }), event('Started', now - 1000)] } },
    },
  ]);
  runningAlloc = await until('the running allocation', async () => {
    const a = (await api.allocations.info(first.ID)).data;
    return a.ClientStatus === 'running' ? a : undefined;
  });
});

after(async () => {
  if (heartbeat) clearInterval(heartbeat);
  await agent?.stop();
});

test('job status lists jobs with their kinds', () => {
  const r = cli('job', 'status');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ID\s+Type\s+Priority\s+Status\s+Submit Date$/m);
  assert.match(r.stdout, /^nightly\s+batch\/periodic\s+50\s/m);
  assert.match(r.stdout, /^render\s+batch\/parameterized\s+50\s/m);
  assert.match(r.stdout, /^web\s+service\s+50\s+running\s/m);
});

test('job status JOB prints the header, summary and allocations', () => {
  const r = cli('job', 'status', 'web');
  assert.equal(r.code, 0, r.stderr);
  for (const line of [/^ID\s+= web$/m, /^Type\s+= service$/m, /^Datacenters\s+= \*$/m, /^Node Pool\s+= default$/m, /^Status\s+= running$/m, /^Periodic\s+= false$/m, /^Parameterized = false$/m]) assert.match(r.stdout, line);
  assert.match(r.stdout, /\n\nSummary\nTask Group\s+Queued\s+Starting\s+Running\s+Failed\s+Complete\s+Lost\s+Unknown\nweb\s+0\s+1\s+1\s+0\s+0\s+0\s+0\n/);
  assert.match(r.stdout, /\n\nAllocations\nID\s+Node ID\s+Task Group\s+Version\s+Desired\s+Status\s+Created\s+Modified\n/);
  assert.match(r.stdout, new RegExp(`^${runningAlloc.ID.slice(0, 8)}\\s+${runningAlloc.NodeID.slice(0, 8)}\\s+web\\s+0\\s+run\\s+running\\s`, 'm'));
  assert.doesNotMatch(r.stdout, /^Evaluations$/m);

  const short = cli('job', 'status', '-short', 'web');
  assert.equal(short.code, 0);
  assert.doesNotMatch(short.stdout, /Summary|Allocations/);
  assert.match(short.stdout, /^Parameterized = false\n$/m);

  const verbose = cli('job', 'status', '-verbose', 'web');
  assert.match(verbose.stdout, /\n\nEvaluations\nID\s+Priority\s+Triggered By\s+Status\s+Placement Failures\n[0-9a-f-]{36}\s+50\s+job-register\s+complete\s+false/);
  assert.match(verbose.stdout, /^ID\s+Eval ID\s+Node ID\s+Node Name\s+Task Group/m);
  assert.ok(verbose.stdout.includes(runningAlloc.ID));

  const evals = cli('job', 'status', '-evals', 'web');
  assert.match(evals.stdout, /\n\nEvaluations\n.*\n[0-9a-f]{8}\s+50\s+job-register\s+complete\s+false/);
});

test('job status -json prints Nomad JobJson objects', () => {
  const one = cli('job', 'status', '-json', 'web');
  assert.equal(one.code, 0, one.stderr);
  const parsed = JSON.parse(one.stdout) as { Summary: { JobID: string }; Allocations: unknown[]; Evaluations: unknown[]; LatestDeployment: unknown }[];
  assert.equal(parsed.length, 1);
  assert.equal(parsed[0]?.Summary.JobID, 'web');
  assert.equal(parsed[0]?.Allocations.length, 2);
  assert.ok(one.stdout.startsWith('[\n    {\n        "Summary"'), 'indented by four spaces');
  const all = JSON.parse(cli('job', 'status', '-json').stdout) as unknown[];
  assert.equal(all.length, 5);
});

test('job status resolves prefixes and reports unknown and ambiguous ones', () => {
  const prefix = cli('job', 'status', '-short', 'nee');
  assert.equal(prefix.code, 0, prefix.stderr);
  assert.match(prefix.stdout, /^ID\s+= needs-qemu$/m);
  const exact = cli('job', 'status', '-short', 'web');
  assert.equal(exact.code, 0, 'an exact ID wins over longer IDs sharing it');
  const amb = cli('job', 'status', 'we');
  assert.equal(amb.code, 1);
  assert.match(amb.stderr, /^Prefix "we" matched multiple jobs\n\nID\s+Type\s+Priority\s+Status\s+Submit Date\nweb\s+service/m);
  assert.match(amb.stderr, /^web-2\s+service/m);
  const none = cli('job', 'status', 'nope');
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'No job(s) with prefix or ID "nope" found\n');
  const two = cli('job', 'status', 'a', 'b');
  assert.equal(two.code, 1);
  assert.match(two.stderr, /This command takes either no arguments or one: <job>/);
});

test('job status shows periodic and parameterized sections', () => {
  const p = cli('job', 'status', 'nightly');
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stdout, /^Type\s+= batch$/m);
  assert.match(p.stdout, /^Periodic\s+= true$/m);
  assert.doesNotMatch(p.stdout, /^Summary$/m);
  assert.match(p.stdout, /No instances of periodic job found|Previously Launched Jobs/);
  const d = cli('job', 'status', 'render');
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /^Parameterized = true$/m);
  assert.match(d.stdout, /\n\nParameterized Job\nPayload\s+= optional\nRequired Metadata = input\nOptional Metadata = quality, size\n/);
  assert.match(d.stdout, /No dispatched instances of parameterized job found/);
});

test('job status, eval status and eval list explain placement failures', async () => {
  const r = cli('job', 'status', 'needs-qemu');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\n\nPlacement Failure\nTask Group "app":\n( {2}\* .*\n)* {2}\* Constraint "missing drivers": \d nodes excluded by filter\n/);
  assert.match(r.stdout, /Allocations\nNo allocations placed\n$/);
  const failed = (await api.jobs.evaluations('needs-qemu')).data.find((e) => e.TriggeredBy === 'job-register');
  assert.ok(failed);
  const s = cli('eval', 'status', failed.ID.slice(0, 8));
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, new RegExp(`^ID\\s+= ${failed.ID.slice(0, 8)}$`, 'm'));
  assert.match(s.stdout, /^Status\s+= complete$/m);
  assert.match(s.stdout, /^TriggeredBy\s+= job-register$/m);
  assert.match(s.stdout, /^Job ID\s+= needs-qemu$/m);
  assert.match(s.stdout, /^Placement Failures = true$/m);
  assert.match(s.stdout, /\n\nFailed Placements\nTask Group "app" \(failed to place 1 allocation\):\n( {2}\* .*\n)* {2}\* Constraint "missing drivers": \d nodes excluded by filter\n/);
  assert.match(s.stdout, /\n\nEvaluation "[0-9a-f]{8}" waiting for additional capacity to place remainder\n$/);
  const j = JSON.parse(cli('eval', 'status', '-json', failed.ID).stdout) as { ID: string; FailedTGAllocs: Record<string, unknown> };
  assert.equal(j.ID, failed.ID);
  assert.ok(j.FailedTGAllocs['app']);

  const list = cli('eval', 'list', '-job', 'needs-qemu');
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ID\s+Priority\s+Triggered By\s+Job ID\s+Namespace\s+Node ID\s+Status\s+Placement Failures$/m);
  assert.match(list.stdout, /^[0-9a-f]{8}\s+50\s+job-register\s+needs-qemu\s+default\s+<none>\s+complete\s+true$/m);
  assert.match(list.stdout, /^[0-9a-f]{8}\s+50\s+queued-allocs\s+needs-qemu\s+default\s+<none>\s+blocked\s+N\/A - In Progress$/m);
  assert.doesNotMatch(list.stdout, /\sweb\s/);
  assert.ok(Array.isArray(JSON.parse(cli('eval', 'list', '-json').stdout)));
  assert.equal(cli('eval', 'list', '-job', 'nope').stdout, 'No evals found\n');

  const none = cli('eval', 'status', 'ffffffff');
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'No evaluation(s) with prefix or id "ffffffff" found\n');
  const odd = cli('eval', 'status', 'fffffffff');
  assert.equal(odd.stderr, 'No evaluation(s) with prefix or id "ffffffff" found\n', 'odd-length prefixes are trimmed as in Nomad');
  const one = cli('eval', 'status', 'f');
  assert.equal(one.code, 1);
  assert.equal(one.stderr, 'Identifier must contain at least two characters.\n');
});

test('job allocs lists a job allocations', () => {
  const r = cli('job', 'allocs', 'web');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 3);
  assert.match(r.stdout, /^ID\s+Node ID\s+Task Group\s+Version\s+Desired\s+Status\s+Created\s+Modified$/m);
  const v = cli('job', 'allocs', '-verbose', 'web');
  assert.match(v.stdout, /^ID\s+Eval ID\s+Node ID\s+Node Name\s+Task Group\s+Version\s+Desired\s+Status\s+Created\s+Modified$/m);
  assert.ok(v.stdout.includes(runningAlloc.ID));
  const j = JSON.parse(cli('job', 'allocs', '-json', 'web').stdout) as { ID: string }[];
  assert.equal(j.length, 2);
  assert.equal(cli('job', 'allocs', 'needs-qemu').stdout, 'No allocations placed\n');
  const none = cli('job', 'allocs', 'nope');
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'No job(s) with prefix or ID "nope" found\n');
});

test('node status lists nodes and shows one in detail', () => {
  const list = cli('node', 'status');
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ID\s+Node Pool\s+DC\s+Name\s+Class\s+Drain\s+Eligibility\s+Status$/m);
  assert.match(list.stdout, new RegExp(`^${nodeID.slice(0, 8)}\\s+default\\s+dc1\\s+cli-node\\s+linux-medium-pci\\s+false\\s+eligible\\s+ready$`, 'm'));
  const verboseList = cli('node', 'status', '-verbose');
  assert.match(verboseList.stdout, /^ID\s+Node Pool\s+DC\s+Name\s+Class\s+Address\s+Version\s+Drain\s+Eligibility\s+Status$/m);
  assert.ok(verboseList.stdout.includes(`${nodeID}  default`));
  assert.equal(cli('node', 'status', '-quiet').stdout.trim().split('\n').length, 4);

  const one = cli('node', 'status', nodeID.slice(0, 8));
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, new RegExp(`^ID\\s+= ${nodeID}$`, 'm'));
  assert.match(one.stdout, /^Name\s+= cli-node$/m);
  assert.match(one.stdout, /^Drain\s+= false$/m);
  assert.match(one.stdout, /^Driver Status\s+= mock_driver,raw_exec$/m);
  assert.match(one.stdout, /\n\nAllocated Resources\nCPU\s+Memory\s+Disk\s+Alloc Count\n/);
  assert.match(one.stdout, /\n\nAllocations\n(ID\s+Node ID\s+Task Group\s+Version\s+Desired\s+Status\s+Created\s+Modified\n|No allocations placed\n$)/);
  assert.doesNotMatch(one.stdout, /^Attributes$/m);

  const v = cli('node', 'status', '-verbose', nodeID);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /\n\nAttributes\n/);
  assert.match(v.stdout, /^unique\.network\.ip-address\s+= 127\.0\.0\.1$/m);
  assert.match(v.stdout, /^driver\.mock_driver\s+= 1$/m);
  assert.match(v.stdout, /\n\nMeta\ndatabase = mysql\npci_dss  = true\nversion  = 5\.6/);
  assert.match(v.stdout, /\n\nDrivers\nDriver\s+Detected\s+Healthy\s+Message\s+Time\nmock_driver\s+true\s+true\s+Healthy/);
  const ip = v.stdout.split('\n').find((l) => l.startsWith('unique.network.ip-address'));
  assert.equal(ip?.split('=')[1]?.trim(), '127.0.0.1', 'the tutorial greps the IP from this line');

  const j = JSON.parse(cli('node', 'status', '-json', nodeID).stdout) as { ID: string; SecretID?: string };
  assert.equal(j.ID, nodeID);
  assert.equal(j.SecretID, undefined);
  assert.equal((JSON.parse(cli('node', 'status', '-json').stdout) as unknown[]).length, 4);
});

test('node status -self, unknown and ambiguous prefixes', () => {
  const self = cli('node', 'status', '-self', '-short');
  assert.equal(self.code, 0, self.stderr);
  assert.match(self.stdout, new RegExp(`^ID\\s+= ${selfNodeID}$`, 'm'));
  assert.match(self.stdout, /^Drivers\s+= (docker,)?raw_exec$/m, "docker is listed when dockerd answers");
  const amb = cli('node', 'status', 'ab');
  assert.equal(amb.code, 1);
  assert.match(amb.stderr, /^Prefix matched multiple nodes\n\nID\s+DC\s+Name\s+Class\s+Drain\s+Eligibility\s+Status\nab120000\s+dc1/m);
  const none = cli('node', 'status', 'ffff');
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'No node(s) with prefix "ffff" found\n');
});

test('node eligibility toggles scheduling eligibility', () => {
  const off = cli('node', 'eligibility', '-disable', otherNodeID.slice(0, 4));
  assert.equal(off.code, 0, off.stderr);
  assert.equal(off.stdout, `Node "${otherNodeID}" scheduling eligibility set: ineligible for scheduling\n`);
  assert.match(cli('node', 'status').stdout, /^ab120000\s+default\s+dc1\s+node-ab12\s+linux-medium-pci\s+false\s+ineligible\s+ready$/m);
  const on = cli('node', 'eligibility', '-enable', otherNodeID);
  assert.equal(on.code, 0, on.stderr);
  assert.match(on.stdout, /eligible for scheduling\n$/);
  const neither = cli('node', 'eligibility', otherNodeID);
  assert.equal(neither.code, 1);
  assert.match(neither.stderr, /Either the '-enable' or '-disable' flag must be set/);
  const amb = cli('node', 'eligibility', '-enable', 'ab');
  assert.equal(amb.code, 1);
  assert.match(amb.stderr, /^Prefix matched multiple nodes\n\n/);
  const none = cli('node', 'eligibility', '-enable', 'ffff');
  assert.equal(none.stderr, 'No node(s) with prefix or id "ffff" found\n');
});

test('alloc status shows the allocation, its resources and task events', () => {
  const r = cli('alloc', 'status', runningAlloc.ID.slice(0, 8));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^ID\\s+= ${runningAlloc.ID}$`, 'm'));
  assert.match(r.stdout, new RegExp(`^Eval ID\\s+= ${runningAlloc.EvalID.slice(0, 8)}$`, 'm'));
  assert.match(r.stdout, /^Name\s+= web\.web\[\d\]$/m);
  assert.match(r.stdout, /^Job ID\s+= web$/m);
  assert.match(r.stdout, /^Client Status\s+= running$/m);
  assert.match(r.stdout, /^Client Description\s+= <none>$/m);
  assert.match(r.stdout, /^Desired Status\s+= run$/m);
  assert.match(r.stdout, /\n\nTask "web" is "running"\nTask Resources:\nCPU\s+Memory\s+Disk\s+Addresses\n500 MHz\s+256 MiB\s+150 MiB\n/);
  assert.match(r.stdout, /\nTask Events:\nStarted At\s+= \d{4}-\d\d-\d\dT/);
  assert.match(r.stdout, /^Finished At\s+= N\/A$/m);
  assert.match(r.stdout, /^Total Restarts = 0$/m);
  assert.match(r.stdout, /\n\nRecent Events:\nTime\s+Type\s+Description\n\S+\s+Started\s+Task started by client\n\S+\s+Task Setup\s+Building Task Directory\n\S+\s+Received\s+Task received by client\n$/);

  const short = cli('alloc', 'status', '-short', runningAlloc.ID);
  assert.match(short.stdout, /\n\nTasks\nName\s+State\s+Last Event\s+Time\s+Lifecycle\nweb\s+running\s+Started\s+\S+\s+main\n$/);
  const verbose = cli('alloc', 'status', '-verbose', runningAlloc.ID);
  assert.match(verbose.stdout, new RegExp(`^Eval ID\\s+= ${runningAlloc.EvalID}$`, 'm'));
  assert.match(verbose.stdout, /^Evaluated Nodes\s+= \d+$/m);
  assert.match(verbose.stdout, /\n\nPlacement Metrics\n/);
  const j = JSON.parse(cli('alloc', 'status', '-json', runningAlloc.ID).stdout) as { ID: string; TaskStates: Record<string, unknown> };
  assert.equal(j.ID, runningAlloc.ID);
  assert.ok(j.TaskStates['web']);

  const none = cli('alloc', 'status', 'ffffffff');
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'No allocation(s) with prefix or id "ffffffff" found\n');
  const usage = cli('alloc', 'status');
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /A single <allocation>/);
});

test('job inspect prints the stored job as JSON', () => {
  const r = cli('job', 'inspect', 'web');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('{\n    "Job": {\n'));
  const parsed = JSON.parse(r.stdout) as { Job: Job };
  assert.equal(parsed.Job.ID, 'web');
  assert.equal(parsed.Job.TaskGroups[0]?.Count, 2);
  const bare = JSON.parse(cli('job', 'inspect', '-json', 'web').stdout) as Job;
  assert.equal(bare.ID, 'web');
  const v0 = JSON.parse(cli('job', 'inspect', '-version', '0', 'web').stdout) as { Job: Job };
  assert.equal(v0.Job.Version, 0);
  const missing = cli('job', 'inspect', '-version', '9', 'web');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /job "web" with version 9 couldn't be found/);
  assert.equal(cli('job', 'inspect', 'nope').code, 1);
});

test('job history, job revert and job eval', async () => {
  await api.jobs.register(webJob({ Meta: { rev: '2' } }));
  const h = cli('job', 'history', 'web');
  assert.equal(h.code, 0, h.stderr);
  assert.match(h.stdout, /^Version\s+= 1\nStable\s+= false\nSubmit Date = \S+\n\nVersion\s+= 0\n/);
  const one = cli('job', 'history', '-version', '0', 'web');
  assert.match(one.stdout, /^Version\s+= 0\n/);
  assert.equal(one.stdout.split('\n\n').length, 1);
  const hj = JSON.parse(cli('job', 'history', '-json', 'web').stdout) as Job[];
  assert.deepEqual(
    hj.map((j) => j.Version),
    [1, 0],
  );
  const p = cli('job', 'history', '-p', 'web');
  assert.equal(p.code, 1);
  assert.match(p.stderr, /not supported/);

  const rev = cli('job', 'revert', '-detach', 'web', '0');
  assert.equal(rev.code, 0, rev.stderr);
  assert.match(rev.stdout, /^Evaluation ID: [0-9a-f-]{36}\n$/);
  const v = (await api.jobs.info('web')).data;
  assert.equal(v.Version, 2);
  assert.equal(v.Meta, null);

  const ev = cli('job', 'eval', '-detach', 'web');
  assert.equal(ev.code, 0, ev.stderr);
  assert.match(ev.stdout, /^Created eval ID: "[0-9a-f]{8}" \n$/);
  const mon = cli('job', 'eval', 'web');
  assert.equal(mon.code, 0, mon.stderr + mon.stdout);
  assert.match(mon.stdout, /==> .*Monitoring evaluation "[0-9a-f]{8}"/);
  assert.match(mon.stdout, /Evaluation "[0-9a-f]{8}" finished with status "complete"/);
  assert.equal(cli('job', 'revert', 'web').code, 1);
});

test('server members marks the leader', () => {
  const r = cli('server', 'members');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Name\s+Address\s+Port\s+Status\s+Leader\s+Raft Version\s+Build\s+Datacenter\s+Region$/m);
  assert.match(r.stdout, new RegExp(`^\\S+\\s+127\\.0\\.0\\.1\\s+${agent.port}\\s+alive\\s+true\\s+.*dc1\\s+global$`, 'm'));
  const j = JSON.parse(cli('server', 'members', '-json').stdout) as { Tags: Record<string, string> }[];
  assert.equal(j[0]?.Tags['Leader'], 'true');
  assert.match(cli('server', 'members', '-verbose').stdout, /^Name\s+Address\s+Port\s+Status\s+Leader\s+Protocol\s+Raft Version\s+Build\s+Datacenter\s+Region\s+Tags$/m);
});

test('operator api makes raw calls and system gc runs', () => {
  const r = cli('operator', 'api', '/v1/jobs');
  assert.equal(r.code, 0, r.stderr);
  const jobs = JSON.parse(r.stdout) as { ID: string }[];
  assert.ok(jobs.some((j) => j.ID === 'web'));
  const q = cli('operator', 'api', '/v1/jobs?prefix=nig');
  assert.deepEqual(
    (JSON.parse(q.stdout) as { ID: string }[]).map((j) => j.ID),
    ['nightly'],
  );
  const put = cli('operator', 'api', '-X', 'PUT', '-d', '{"Prefix":"web","Context":"jobs"}', '/v1/search');
  assert.equal(put.code, 0, put.stderr);
  assert.deepEqual((JSON.parse(put.stdout) as { Matches: { jobs: string[] } }).Matches.jobs, ['web', 'web-2']);
  const missing = cli('operator', 'api', '/v1/no/such/route');
  assert.equal(missing.code, 0, 'Nomad copies the body whatever the status');
  assert.match(missing.stdout, /no route for GET/);
  const verbose = cli('operator', 'api', '-verbose', '/v1/status/leader');
  assert.match(verbose.stderr, /^> GET \/v1\/status\/leader HTTP\/1\.1$/m);
  assert.match(verbose.stderr, /^< HTTP\/1\.1 200 OK$/m);
  const dry = cli('operator', 'api', '-dryrun', '-X', 'DELETE', '/v1/job/web');
  assert.equal(dry.stdout, `curl \\\n  -X DELETE \\\n  ${agent.address}/v1/job/web\n`);
  assert.equal(cli('operator', 'api').code, 1);

  const gc = cli('system', 'gc');
  assert.equal(gc.code, 0, gc.stderr);
  assert.equal(gc.stdout, '');
});

test('alloc stop stops an allocation and returns its evaluation', async () => {
  const target = (await api.jobs.allocations('web-2')).data[0];
  assert.ok(target);
  const r = cli('alloc', 'stop', '-detach', target.ID.slice(0, 8));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^[0-9a-f-]{36}\n$/);
  const a = await until('the stopped allocation', async () => {
    const x = (await api.allocations.info(target.ID)).data;
    return x.DesiredStatus === 'stop' ? x : undefined;
  });
  assert.equal(a.DesiredStatus, 'stop');
  const one = cli('alloc', 'stop', 'f');
  assert.equal(one.code, 1);
  assert.equal(one.stderr, 'Alloc ID must contain at least two characters.\n');
  const none = cli('alloc', 'stop', 'ffffffff');
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'No allocation(s) with prefix or id "ffffffff" found\n');
});
