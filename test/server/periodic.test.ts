// The periodic dispatcher on a fake clock: launches land on the right second without drift,
// prohibit_overlap skips while a child is at work, several crons and time zones pick the right
// times, a launch missed while the server was down is made once after a restart, force launches
// now, and stopping or purging the parent takes its children along. A real server (memory KV,
// workers and all) runs underneath; only time is simulated.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openMemoryKv } from '../../src/state/backends/memory.js';
import type { KV } from '../../src/state/kv.js';
import { defaultServerConfig } from '../../src/server/context.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { Server } from '../../src/server/server.js';
import type { ApiJob } from '../../src/jobspec/index.js';
import type { Job, PeriodicConfig } from '../../src/structs/job.js';
import { nullLogger } from '../../src/structs/logger.js';
import { mockBatchJob } from '../../src/structs/mock.js';

const T0 = Date.parse('2024-01-01T00:00:00.300Z');
const unix = (iso: string): number => Date.parse(iso) / 1000;

let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) await s.stop();
  servers = [];
});

async function boot(clock: FakeClock, kv: KV = openMemoryKv()): Promise<{ server: Server; kv: KV }> {
  const server = new Server(kv, nullLogger, { ...defaultServerConfig(), numSchedulers: 1 }, clock);
  await server.start();
  servers.push(server);
  return { server, kv };
}

function periodicJob(id: string, p: Partial<PeriodicConfig>): Job {
  return mockBatchJob({ ID: id, Name: id, Datacenters: ['*'], Periodic: { Enabled: true, Spec: '', Specs: null, SpecType: 'cron', ProhibitOverlap: false, TimeZone: 'UTC', ...p } });
}

async function register(server: Server, job: Job): Promise<void> {
  await server.jobs.register({ job: job as unknown as ApiJob });
}

const children = (server: Server, id: string): Job[] => server.store.snapshot().childJobs('default', id);
const childIDs = (server: Server, id: string): string[] => children(server, id).map((c) => c.ID);

describe('periodic dispatcher', () => {
  test('a job every second launches on every second, named by its launch time, without drift', async () => {
    const clock = new FakeClock(T0);
    const { server } = await boot(clock);
    await register(server, periodicJob('tick', { Spec: '* * * * * * *' }));
    await clock.advance(5_000);
    const want = [1, 2, 3, 4, 5].map((s) => `tick/periodic-${unix('2024-01-01T00:00:00Z') + s}`);
    assert.deepEqual(childIDs(server, 'tick'), want);
    const snap = server.store.snapshot();
    for (const c of children(server, 'tick')) {
      assert.equal(c.ParentID, 'tick');
      assert.equal(c.Periodic, null);
      assert.equal(c.Version, 0);
      // One launch evaluation per child (no client nodes here, so the scheduler adds a blocked one).
      assert.equal(snap.evalsByJob('default', c.ID).filter((e) => e.TriggeredBy === 'periodic-job').length, 1);
    }
    assert.equal(snap.periodicLaunch('default', 'tick')?.Launch, Date.parse('2024-01-01T00:00:05Z') * 1e6);
    // The parent itself never gets an evaluation.
    assert.equal(snap.evalsByJob('default', 'tick').length, 0);
  });

  test('a timer that fires late does not shift later launches', async () => {
    const clock = new FakeClock(T0);
    const { server } = await boot(clock);
    await register(server, periodicJob('late', { Spec: '*/2 * * * * * *' }));
    // Every timer fires 1.2 s late: each launch keeps its scheduled second and the next stays on the grid.
    await clock.advance(6_500, 1_200);
    assert.equal(clock.now(), T0 + 6_500);
    assert.deepEqual(childIDs(server, 'late'), [2, 4, 6].map((s) => `late/periodic-${unix('2024-01-01T00:00:00Z') + s}`));
  });

  test('prohibit_overlap skips launches while the previous child is still at work', async () => {
    const clock = new FakeClock(T0);
    const { server } = await boot(clock);
    // No client nodes: each child's evaluation stays blocked (non-terminal), so the child stays "at work".
    await register(server, periodicJob('exclusive', { Spec: '* * * * * * *', ProhibitOverlap: true }));
    await register(server, periodicJob('overlapping', { Spec: '* * * * * * *' }));
    await clock.advance(4_000);
    assert.equal(children(server, 'exclusive').length, 1);
    assert.equal(children(server, 'overlapping').length, 4);
  });

  test('several crons: the earliest next launch wins', async () => {
    const clock = new FakeClock(T0);
    const { server } = await boot(clock);
    await register(server, periodicJob('multi', { Specs: ['0/10 * * * * * *', '3 * * * * * *'] }));
    await clock.advance(20_000);
    assert.deepEqual(childIDs(server, 'multi'), [10, 20, 3].map((s) => `multi/periodic-${unix('2024-01-01T00:00:00Z') + s}`).sort());
  });

  test('launch times follow the time zone', async () => {
    const clock = new FakeClock(Date.parse('2024-01-01T00:00:01Z')); // 09:00:01 in Tokyo
    const { server } = await boot(clock);
    await register(server, periodicJob('tokyo', { Spec: '0 9 * * *', TimeZone: 'Asia/Tokyo' }));
    await register(server, periodicJob('off', { Spec: '* * * * * * *', Enabled: false }));
    assert.deepEqual(
      server.periodic.tracked().map((t) => [t.id, new Date(t.next).toISOString()]),
      [['tokyo', '2024-01-02T00:00:00.000Z']],
    );
    await clock.advance(24 * 3600_000);
    assert.deepEqual(childIDs(server, 'tokyo'), [`tokyo/periodic-${unix('2024-01-02T00:00:00Z')}`]);
    assert.deepEqual(childIDs(server, 'off'), []);
  });

  test('after a restart, a launch missed during the downtime is made once', async () => {
    const clock = new FakeClock(Date.parse('2024-01-01T00:10:00Z'));
    const kv = openMemoryKv();
    const first = await boot(clock, kv);
    await register(first.server, periodicJob('hourly', { Spec: '0 * * * *' }));
    await first.server.stop();
    servers = [];
    clock.t = Date.parse('2024-01-01T03:30:00Z'); // three launches were missed
    const { server } = await boot(clock, kv);
    await clock.advance(0);
    assert.deepEqual(childIDs(server, 'hourly'), [`hourly/periodic-${unix('2024-01-01T03:30:00Z')}`]);
    // …and the schedule carries on from there.
    await clock.advance(30 * 60_000);
    assert.equal(children(server, 'hourly').length, 2);
  });

  test('no launch is forced after a restart when none was missed', async () => {
    const clock = new FakeClock(Date.parse('2024-01-01T00:10:00Z'));
    const kv = openMemoryKv();
    const first = await boot(clock, kv);
    await register(first.server, periodicJob('hourly', { Spec: '0 * * * *' }));
    await first.server.stop();
    servers = [];
    clock.t = Date.parse('2024-01-01T00:50:00Z');
    const { server } = await boot(clock, kv);
    await clock.advance(0);
    assert.deepEqual(childIDs(server, 'hourly'), []);
  });

  test('force launches now, even with prohibit_overlap; non-periodic jobs are refused', async () => {
    const clock = new FakeClock(T0);
    const { server } = await boot(clock);
    await register(server, periodicJob('daily', { Spec: '@daily', ProhibitOverlap: true }));
    const r = await server.periodic.force('default', 'daily');
    const childID = `daily/periodic-${Math.floor(T0 / 1000)}`;
    assert.deepEqual(childIDs(server, 'daily'), [childID]);
    const ev = server.store.snapshot().eval(r.EvalID);
    assert.equal(ev?.JobID, childID);
    assert.equal(ev?.TriggeredBy, 'periodic-job');
    assert.ok(r.EvalCreateIndex > 0 && r.Index >= r.EvalCreateIndex);
    clock.t += 2_000;
    await server.periodic.force('default', 'daily');
    assert.equal(children(server, 'daily').length, 2);
    await register(server, mockBatchJob({ ID: 'plain', Name: 'plain', Datacenters: ['*'] }));
    await assert.rejects(server.periodic.force('default', 'plain'), /can't force launch non-periodic job/);
    await assert.rejects(server.periodic.force('default', 'missing'), /job not found/);
  });

  test('stopping the parent stops its children and its schedule; purging deletes them', async () => {
    const clock = new FakeClock(T0);
    const { server } = await boot(clock);
    await register(server, periodicJob('parent', { Spec: '* * * * * * *' }));
    await clock.advance(2_000);
    assert.equal(children(server, 'parent').length, 2);
    await server.jobs.deregister('default', 'parent', { purge: false });
    assert.ok(children(server, 'parent').every((c) => c.Stop));
    for (const c of children(server, 'parent')) assert.ok(server.store.snapshot().evalsByJob('default', c.ID).some((e) => e.TriggeredBy === 'job-deregister'));
    await clock.advance(3_000);
    assert.equal(children(server, 'parent').length, 2, 'a stopped parent launches nothing');
    assert.deepEqual(server.periodic.tracked(), []);
    await server.jobs.deregister('default', 'parent', { purge: true });
    assert.equal(server.store.snapshot().job('default', 'parent'), undefined);
    assert.equal(children(server, 'parent').length, 0);
    assert.equal(server.store.snapshot().periodicLaunch('default', 'parent'), undefined);
  });

  test('stopping the server leaves no dispatcher timer behind', async () => {
    const clock = new FakeClock(T0);
    const { server } = await boot(clock);
    await register(server, periodicJob('t', { Spec: '* * * * * * *' }));
    assert.ok(clock.pending >= 1);
    await server.stop();
    servers = [];
    assert.equal(clock.pending, 0);
  });
});
