// Job submissions (Nomad's job_submission table) through the HTTP API: the source a version was
// registered with is served at /v1/job/:id/submission?version=N, kept per version, inherited by
// the versions a stop or a revert creates, dropped with a warning when over 1 MB, trimmed and
// purged with the versions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/index.js';
import { mockJob, mockResources, mockTask, mockTaskGroup } from '../../src/structs/mock.js';
import type { Job } from '../../src/structs/job.js';
import type { JobSubmissionInput } from '../../src/structs/job-submission.js';
import { startServer, type TestCluster } from '../helpers/cluster.js';

let c: TestCluster;

before(async () => {
  c = await startServer();
});
after(async () => {
  await c?.close();
});

const job = (id: string, count: number): Job => mockJob({ ID: id, Name: id, Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Count: count, Tasks: [mockTask({ Resources: mockResources({ CPU: 50, MemoryMB: 32 }) })] })] });
const source = (id: string, count: number): JobSubmissionInput => ({ Source: `job "${id}" {\n  group "g" {\n    count = ${count}\n  }\n}\n`, Format: 'hcl2', VariableFlags: { region: 'eu' }, Variables: 'size = 3\n' });

const is404 = (e: unknown): boolean => e instanceof ApiError && e.status === 404 && /job source not found/.test(e.body);

test('a registered source is served per version with Nomad\'s fields and the version\'s index', async () => {
  const r = await c.api.jobs.register(job('src', 1), { submission: source('src', 1) });
  const sub = await c.api.jobs.submission('src', 0);
  assert.deepEqual(sub.data, { ...source('src', 1), Namespace: 'default', JobID: 'src', Version: 0, JobModifyIndex: r.data.JobModifyIndex });
  assert.equal(sub.meta.lastIndex, r.data.JobModifyIndex);
  await c.api.jobs.register(job('src', 2), { submission: source('src', 2) });
  assert.match((await c.api.jobs.submission('src', 1)).data.Source, /count = 2/);
  assert.match((await c.api.jobs.submission('src', 0)).data.Source, /count = 1/, 'earlier versions keep their own source');
  await assert.rejects(c.api.jobs.submission('src', 7), is404);
});

test('a job registered without a source has none; a bad version is a 400', async () => {
  await c.api.jobs.register(job('nosrc', 1));
  await assert.rejects(c.api.jobs.submission('nosrc', 0), is404);
  await assert.rejects(c.api.jobs.submission('missing-job', 0), is404);
  for (const q of ['', '?version=', '?version=x', '?version=-1']) {
    await assert.rejects(c.api.http.get(`/v1/job/src/submission${q}`), (e: unknown) => e instanceof ApiError && e.status === 400 && /Unable to parse job submission version parameter/.test(e.body));
  }
  const put = await fetch(`${c.address}/v1/job/src/submission?version=0`, { method: 'PUT', body: '{}' });
  assert.equal(put.status, 405);
  const bad = await fetch(`${c.address}/v1/jobs`, { method: 'PUT', body: JSON.stringify({ Job: job('badsrc', 1), Submission: { Source: 3 } }) });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /Submission\.Source must be a string/);
});

test('stopping and reverting create versions that inherit the source they were made from', async () => {
  await c.api.jobs.register(job('inherit', 1), { submission: source('inherit', 1) });
  await c.api.jobs.register(job('inherit', 2), { submission: source('inherit', 2) });
  await c.api.jobs.deregister('inherit', false);
  assert.equal((await c.api.jobs.info('inherit')).data.Version, 2);
  assert.match((await c.api.jobs.submission('inherit', 2)).data.Source, /count = 2/, 'the stopped version keeps the running one\'s source');
  await c.api.http.put('/v1/job/inherit/revert', { JobID: 'inherit', JobVersion: 0 });
  const v3 = await c.api.jobs.submission('inherit', 3);
  assert.match(v3.data.Source, /count = 1/, 'the reverted version has the source of version 0');
  assert.equal(v3.data.Version, 3);
  // Starting the stopped job again (the UI registers the current version with Stop cleared) keeps its source.
  await c.api.jobs.deregister('inherit', false);
  const stopped = (await c.api.jobs.info('inherit')).data;
  await c.api.jobs.register({ ...stopped, Stop: false });
  assert.match((await c.api.jobs.submission('inherit', 5)).data.Source, /count = 1/);
  // A changed job registered without its file gets none, rather than an older version's.
  await c.api.jobs.register(job('inherit', 9));
  await assert.rejects(c.api.jobs.submission('inherit', 6), is404);
});

test('a source over 1 MB is dropped with Nomad\'s warning; the job is still registered', async () => {
  const big = { ...source('big', 1), Source: `# ${'x'.repeat(1_000_001)}\n` };
  const r = await c.api.jobs.register(job('big', 1), { submission: big });
  assert.match(r.data.Warnings, /job source size of 1\.0 MB exceeds maximum of 1\.0 MB and will be discarded/);
  assert.equal((await c.api.jobs.info('big')).data.Version, 0);
  await assert.rejects(c.api.jobs.submission('big', 0), is404);
});

test('sources are trimmed with their versions and purged with the job', async () => {
  for (let n = 1; n <= 8; n++) await c.api.jobs.register(job('many', n), { submission: source('many', n) });
  const versions = (await c.api.jobs.versions('many')).data.Versions.map((v) => v.Version);
  assert.deepEqual(versions, [7, 6, 5, 4, 3, 2]);
  await assert.rejects(c.api.jobs.submission('many', 1), is404);
  for (const v of versions) assert.equal((await c.api.jobs.submission('many', v)).data.Version, v);
  await c.api.jobs.deregister('many', true);
  await assert.rejects(c.api.jobs.submission('many', 7), is404);
  assert.deepEqual(c.agent.server?.store.snapshot().jobSubmissionVersions('default', 'many'), []);
});
