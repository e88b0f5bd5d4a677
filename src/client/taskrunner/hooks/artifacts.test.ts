import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { TaskEvent } from '../../../structs/alloc.js';
import { TaskEventType } from '../../../structs/alloc.js';
import type { TaskArtifact } from '../../../structs/job.js';
import { nullLogger } from '../../../structs/logger.js';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../../../structs/mock.js';
import { AllocDir } from '../../allocdir.js';
import { TaskEnvBuilder } from '../../taskenv.js';
import { ReportedHookError, type TaskHookContext } from '../hook.js';
import { createArtifactsHook } from './artifacts.js';
import { DEFAULT_ARTIFACT_CONFIG } from '../../artifacts/config.js';

function harness(t: { after(fn: () => void): void }, artifacts: TaskArtifact[] | null): { ctx: TaskHookContext; events: TaskEvent[]; abort: AbortController } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-art-hook-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const task = mockTask({ Name: 'web', Artifacts: artifacts, Meta: { version: '1.2' } });
  const job = mockJob({ ID: 'example', TaskGroups: [mockTaskGroup({ Name: 'g', Tasks: [task] })] });
  const node = mockNode();
  const alloc = mockAlloc(job, node, { ID: 'a1b2c3d4-0000-1111-2222-333333333333', Name: 'example.g[0]', TaskGroup: 'g' });
  const allocDir = new AllocDir(root, alloc.ID);
  allocDir.build();
  const taskDirs = allocDir.buildTaskDir('web');
  // An isolating driver: the task sees /local, but the download must use the host path.
  const envBuilder = new TaskEnvBuilder(node, alloc, task, 'global').setTaskDirs('chroot', taskDirs);
  const events: TaskEvent[] = [];
  const abort = new AbortController();
  const unused = (): Promise<never> => Promise.reject(new Error('not used by the artifacts hook'));
  const lifecycle = { restart: unused, signal: unused, exec: unused, kill: (): void => undefined, isRunning: () => false };
  const fields = { alloc, task, allocDir, taskDirs, envBuilder, capabilities: null, hostEnv: {}, resources: { logs: null }, logger: nullLogger, emitEvent: (ev: TaskEvent) => events.push(ev), now: Date.now, signal: abort.signal, lifecycle };
  const ctx: TaskHookContext = fields;
  return { ctx, events, abort };
}

function artifact(over: Partial<TaskArtifact>): TaskArtifact {
  return { GetterSource: '', GetterOptions: null, GetterHeaders: null, GetterMode: 'any', GetterInsecure: false, RelativeDest: 'local/', Chown: false, ...over };
}

async function serve(t: { after(fn: () => Promise<void>): void }, handler: http.RequestListener): Promise<string> {
  const srv = http.createServer(handler);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    srv.closeAllConnections();
    srv.close(() => resolve());
  }));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

const hook = createArtifactsHook({ config: DEFAULT_ARTIFACT_CONFIG });

test('no artifacts: done at once, no event', async (t) => {
  const h = harness(t, null);
  assert.deepEqual(await hook.prestart?.(h.ctx, {}), { done: true });
  assert.deepEqual(h.events, []);
});

test('artifacts download with "Downloading Artifacts", interpolated with host paths and meta; the hook is then done', async (t) => {
  const base = await serve(t, (req, res) => res.end(`served ${req.url ?? ''}`));
  const h = harness(t, [artifact({ GetterSource: `${base}/v\${NOMAD_META_version}/app.sh`, RelativeDest: '${NOMAD_TASK_DIR}/bin' })]);
  assert.deepEqual(await hook.prestart?.(h.ctx, {}), { done: true });
  assert.deepEqual(h.events.map((e) => [e.Type, e.DisplayMessage]), [[TaskEventType.DownloadingArtifacts, 'Client is downloading artifacts']]);
  assert.equal(fs.readFileSync(path.join(h.ctx.taskDirs.localDir, 'bin/app.sh'), 'utf8'), 'served /v1.2/app.sh');
});

test('a failure emits "Failed Artifact Download" with the reason and is left to the restart policy', async (t) => {
  const base = await serve(t, (_req, res) => res.writeHead(404).end());
  const h = harness(t, [artifact({ GetterSource: `${base}/missing.tgz` })]);
  await assert.rejects(hook.prestart?.(h.ctx, {}) ?? Promise.resolve(), ReportedHookError);
  const ev = h.events.at(-1);
  assert.equal(ev?.Type, TaskEventType.ArtifactDownloadFailed);
  assert.equal(ev?.DisplayMessage, `failed to download artifact "${base}/missing.tgz": bad response code: 404`);
  assert.equal(ev?.FailsTask, false);
});

test('an unsupported scheme fails with a clear reason', async (t) => {
  const h = harness(t, [artifact({ GetterSource: 's3::https://s3.amazonaws.com/bucket/app.tgz' })]);
  await assert.rejects(hook.prestart?.(h.ctx, {}) ?? Promise.resolve(), /Amazon S3 artifacts \("s3"\) are not supported by Roam/);
  assert.match(h.events.at(-1)?.DownloadError ?? '', /^failed to download artifact "s3::https:\/\/s3\.amazonaws\.com\/bucket\/app\.tgz": Amazon S3 artifacts/);
});

test('stopping the task while it downloads ends the download quietly', async (t) => {
  const base = await serve(t, (_req, res) => {
    res.writeHead(200);
    res.write('partial');
  });
  const h = harness(t, [artifact({ GetterSource: `${base}/slow.bin` })]);
  const p = hook.prestart?.(h.ctx, {});
  setTimeout(() => h.abort.abort(), 200);
  assert.equal(await p, undefined);
  assert.deepEqual(h.events.map((e) => e.Type), [TaskEventType.DownloadingArtifacts]);
  assert.deepEqual(fs.readdirSync(h.ctx.taskDirs.localDir), []);
  assert.deepEqual(fs.readdirSync(h.ctx.taskDirs.allocDir).filter((n) => n.startsWith('.artifact-')), []);
});
