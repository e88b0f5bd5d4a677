// Nomad's defaults and merge rules on API jobs (as `-json` input or HTTP bodies deliver them):
// update inheritance and max_parallel = 0, reschedule/migrate/restart by job type, resources with
// cores, service naming, and parseApiJobJSON's accepted shapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalizeJob, parseApiJobJSON, type ApiJob } from './index.js';

const S = 1_000_000_000;
const job = (over: ApiJob = {}): ApiJob => ({ ID: 'j', TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't', Driver: 'docker' }] }], ...over });

test('job defaults', () => {
  const j = canonicalizeJob(job());
  assert.equal(j.Region, 'global');
  assert.equal(j.Namespace, 'default');
  assert.equal(j.Name, 'j');
  assert.equal(j.Type, 'service');
  assert.equal(j.Priority, 50);
  assert.deepEqual(j.Datacenters, ['*']);
  assert.equal(j.NodePool, 'default');
  // Only stagger and max_parallel are kept at job level.
  assert.deepEqual(j.Update, { Stagger: 30 * S, MaxParallel: 1, HealthCheck: '', MinHealthyTime: 0, HealthyDeadline: 0, ProgressDeadline: 0, AutoRevert: false, AutoPromote: false, Canary: 0 });
  const g = j.TaskGroups[0];
  assert.equal(g?.Count, 1);
  assert.equal(g?.Update?.HealthCheck, 'checks');
  assert.deepEqual(g?.EphemeralDisk, { Sticky: false, SizeMB: 300, Migrate: false });
  const t = g?.Tasks[0];
  assert.equal(t?.Resources.CPU, 100);
  assert.equal(t?.Resources.MemoryMB, 300);
  assert.equal(t?.KillTimeout, 5 * S);
  assert.deepEqual(t?.LogConfig, { MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false });
});

test('update: group merges over job; max_parallel = 0 means no rolling update at job level', () => {
  const j = canonicalizeJob(job({ Update: { MaxParallel: 3, Canary: 1 }, TaskGroups: [{ Name: 'g', Update: { Canary: 2 }, Tasks: [{ Name: 't', Driver: 'x' }] }] }));
  assert.equal(j.TaskGroups[0]?.Update?.MaxParallel, 3);
  assert.equal(j.TaskGroups[0]?.Update?.Canary, 2);
  const none = canonicalizeJob(job({ Update: { MaxParallel: 0 } }));
  assert.equal(none.Update.MaxParallel, 0);
  assert.equal(none.Update.Stagger, 0);
  assert.equal(none.TaskGroups[0]?.Update?.MaxParallel, 0);
});

test('batch, system and sysbatch defaults', () => {
  const batch = canonicalizeJob(job({ Type: 'batch' }));
  assert.equal(batch.Update.MaxParallel, 0);
  assert.equal(batch.TaskGroups[0]?.Update, null);
  assert.equal(batch.TaskGroups[0]?.Migrate, null);
  assert.deepEqual(batch.TaskGroups[0]?.ReschedulePolicy, { Attempts: 1, Interval: 86400 * S, Delay: 5 * S, DelayFunction: 'constant', MaxDelay: 0, Unlimited: false });
  assert.equal(batch.TaskGroups[0]?.RestartPolicy.Attempts, 3);
  const system = canonicalizeJob(job({ Type: 'system' }));
  assert.equal(system.TaskGroups[0]?.ReschedulePolicy, null);
  assert.equal(system.TaskGroups[0]?.RestartPolicy.Attempts, 2);
  assert.equal(system.Update.MaxParallel, 1);
  const sysbatch = canonicalizeJob(job({ Type: 'sysbatch' }));
  assert.equal(sysbatch.TaskGroups[0]?.ReschedulePolicy, null);
  assert.equal(sysbatch.TaskGroups[0]?.RestartPolicy.Attempts, 3);
});

test('cores set: cpu 0; scaling min gives the count', () => {
  const j = canonicalizeJob(job({ TaskGroups: [{ Name: 'g', Scaling: { Min: 4, Max: 9 }, Tasks: [{ Name: 't', Driver: 'x', Resources: { Cores: 2 } }] }] }));
  assert.equal(j.TaskGroups[0]?.Count, 4);
  assert.equal(j.TaskGroups[0]?.Tasks[0]?.Resources.CPU, 0);
  assert.equal(j.TaskGroups[0]?.Tasks[0]?.Resources.Cores, 2);
});

test('service names and namespaces', () => {
  const j = canonicalizeJob(
    job({
      Namespace: 'apps',
      TaskGroups: [{ Name: 'g', Services: [{ Provider: 'nomad' }], Tasks: [{ Name: 't', Driver: 'x', Services: [{ Name: '${BASE}-x', Checks: [{ Type: 'tcp', Interval: S, Timeout: S }] }] }] }],
    }),
  );
  const gs = j.TaskGroups[0]?.Services?.[0];
  assert.equal(gs?.Name, 'j-g');
  assert.equal(gs?.Namespace, 'apps');
  const ts = j.TaskGroups[0]?.Tasks[0]?.Services?.[0];
  assert.equal(ts?.Name, 'j-g-t-x');
  assert.equal(ts?.TaskName, 't');
  assert.equal(ts?.Namespace, 'default');
  assert.equal(ts?.Checks?.[0]?.Name, 'service: "j-g-t-x" check');
  assert.equal(ts?.Checks?.[0]?.TaskName, 't');
});

test('parseApiJobJSON accepts a bare job or {"Job": …} and explains anything else', () => {
  assert.equal(parseApiJobJSON('{"Job": {"ID": "a"}}').ID, 'a');
  assert.equal(parseApiJobJSON('{"ID": "b", "TaskGroups": []}').ID, 'b');
  assert.throws(() => parseApiJobJSON('[1]'), /expected a JSON object/);
  assert.throws(() => parseApiJobJSON('{"job": {"x": {}}}'), /HCL JSON jobspec/);
  assert.throws(() => parseApiJobJSON('{nope'), /Failed to parse JSON job/);
});
