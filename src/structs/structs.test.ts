import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR, MINUTE, SECOND } from './duration.js';
import { goTime, parseGoTime, ZERO_TIME, msToNanos } from './time.js';
import { allocIndexFromName, allocName, jobTypeLabel, type Job } from './job.js';
import { mockAlloc, mockBatchJob, mockJob, mockNode } from './mock.js';
import { allocListStub, isTerminalAlloc } from './alloc.js';
import { nodeListStub, nodeReady, publicNode } from './node.js';
import { shortId, isUUID, generateUUID } from './ids.js';

// A job as Nomad 2.x returns it from `GET /v1/job/:id` (trimmed to one task), typed as our Job so a
// renamed or missing field fails the type check, and compared after a JSON round trip.
const nomadJob = {
  Stop: false, Region: 'global', Namespace: 'default', ID: 'example', ParentID: '', Name: 'example', Type: 'service', Priority: 50, AllAtOnce: false,
  Datacenters: ['*'], NodePool: 'default', Constraints: null, Affinities: null, Spreads: null,
  TaskGroups: [{
    Name: 'cache', Count: 1,
    Update: { Stagger: 30000000000, MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 10000000000, HealthyDeadline: 300000000000, ProgressDeadline: 600000000000, AutoRevert: false, AutoPromote: false, Canary: 0 },
    Migrate: { MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 10000000000, HealthyDeadline: 300000000000 },
    Constraints: null, Scaling: null,
    RestartPolicy: { Attempts: 2, Interval: 1800000000000, Delay: 15000000000, Mode: 'fail', RenderTemplates: false },
    Tasks: [{
      Name: 'redis', Driver: 'docker', User: '', Config: { image: 'redis:7', ports: ['db'] }, Env: null, Services: null, Vault: null, Consul: null, Templates: null,
      Constraints: null, Affinities: null,
      Resources: { CPU: 500, Cores: 0, MemoryMB: 256, MemoryMaxMB: 0, DiskMB: 0, IOPS: 0, Networks: null, Devices: null },
      RestartPolicy: { Attempts: 2, Interval: 1800000000000, Delay: 15000000000, Mode: 'fail', RenderTemplates: false },
      DispatchPayload: null, Lifecycle: null, Meta: null, KillTimeout: 5000000000, LogConfig: { MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false },
      Artifacts: null, Leader: false, ShutdownDelay: 0, VolumeMounts: null, ScalingPolicies: null, KillSignal: '', Kind: '', CSIPluginConfig: null, Identity: null, Identities: null, Actions: null,
    }],
    EphemeralDisk: { Sticky: false, SizeMB: 300, Migrate: false }, Meta: null,
    ReschedulePolicy: { Attempts: 0, Interval: 0, Delay: 30000000000, DelayFunction: 'exponential', MaxDelay: 3600000000000, Unlimited: true },
    Affinities: null, Spreads: null,
    Networks: [{ Mode: '', Device: '', CIDR: '', IP: '', Hostname: '', MBits: 0, DNS: null, ReservedPorts: null, DynamicPorts: [{ Label: 'db', Value: 0, To: 6379, HostNetwork: 'default' }] }],
    Consul: null, Services: null, Volumes: null, ShutdownDelay: null, StopAfterClientDisconnect: null, MaxClientDisconnect: null, PreventRescheduleOnLost: false, Disconnect: null,
  }],
  Update: { Stagger: 30000000000, MaxParallel: 1, HealthCheck: '', MinHealthyTime: 0, HealthyDeadline: 0, ProgressDeadline: 0, AutoRevert: false, AutoPromote: false, Canary: 0 },
  Multiregion: null, Periodic: null, ParameterizedJob: null, Dispatched: false, DispatchIdempotencyToken: '', Payload: null, Meta: null,
  ConsulNamespace: '', VaultNamespace: '', NomadTokenID: '', Status: 'pending', StatusDescription: '', Stable: false, Version: 0,
  SubmitTime: 1732628000123000000, CreateIndex: 11, ModifyIndex: 11, JobModifyIndex: 11,
} satisfies Job;

test('a job in Nomad JSON survives a round trip with nanosecond durations intact', () => {
  const back = JSON.parse(JSON.stringify(nomadJob)) as Job;
  assert.deepEqual(back, nomadJob);
  const tg = back.TaskGroups[0];
  assert.ok(tg);
  assert.equal(tg.RestartPolicy.Delay, 15 * SECOND);
  assert.equal(tg.RestartPolicy.Interval, 30 * MINUTE);
  assert.equal(tg.ReschedulePolicy?.MaxDelay, HOUR);
  assert.equal(back.SubmitTime, msToNanos(1732628000123));
  assert.match(JSON.stringify(back), /"Delay":15000000000/);
});

test('mock objects round-trip through JSON unchanged', () => {
  for (const v of [mockJob(), mockBatchJob(), mockNode(), mockAlloc()]) {
    assert.deepEqual(JSON.parse(JSON.stringify(v)), v);
  }
});

test('Go time formatting matches time.Time JSON', () => {
  assert.equal(goTime(Date.UTC(2024, 8, 15, 14, 41, 22, 500)), '2024-09-15T14:41:22.5Z');
  assert.equal(goTime(Date.UTC(2024, 8, 15, 14, 41, 22)), '2024-09-15T14:41:22Z');
  assert.equal(parseGoTime(ZERO_TIME), 0);
  assert.equal(parseGoTime('2024-09-15T14:41:22.5Z'), Date.UTC(2024, 8, 15, 14, 41, 22, 500));
});

test('allocation names carry their index', () => {
  assert.equal(allocName('pytechco-redis', 'ptc-redis', 0), 'pytechco-redis.ptc-redis[0]');
  assert.equal(allocIndexFromName('a.b[12]'), 12);
  assert.equal(allocIndexFromName('nothing'), -1);
});

test('job type labels as nomad job status shows them', () => {
  assert.equal(jobTypeLabel(mockJob()), 'service');
  const periodic = mockBatchJob({ Periodic: { Enabled: true, Spec: '*/3 * * * * * *', Specs: null, SpecType: 'cron', ProhibitOverlap: false, TimeZone: 'UTC' } });
  assert.equal(jobTypeLabel(periodic), 'batch/periodic');
  const param = mockBatchJob({ ParameterizedJob: { Payload: 'optional', MetaRequired: ['budget'], MetaOptional: null } });
  assert.equal(jobTypeLabel(param), 'batch/parameterized');
  assert.equal(jobTypeLabel({ ...param, Dispatched: true }), 'batch');
});

test('terminal allocations and ready nodes', () => {
  const a = mockAlloc();
  assert.equal(isTerminalAlloc(a), false);
  assert.equal(isTerminalAlloc({ ...a, DesiredStatus: 'stop' }), true);
  assert.equal(isTerminalAlloc({ ...a, ClientStatus: 'complete' }), true);
  const n = mockNode();
  assert.equal(nodeReady(n), true);
  assert.equal(nodeReady({ ...n, SchedulingEligibility: 'ineligible' }), false);
  assert.equal(nodeReady({ ...n, Status: 'down' }), false);
});

test('API forms hide node secrets and shorten allocations', () => {
  const n = mockNode();
  assert.equal('SecretID' in publicNode(n), false);
  assert.equal(publicNode(n).Drain, false);
  assert.equal(nodeListStub(n).Address, '127.0.0.1');
  const stub = allocListStub(mockAlloc());
  assert.equal('Job' in stub, false);
  assert.equal(stub.JobType, 'service');
});

test('IDs are v4 UUIDs with an 8-character short form', () => {
  const id = generateUUID();
  assert.ok(isUUID(id));
  assert.equal(shortId(id), id.slice(0, 8));
});
