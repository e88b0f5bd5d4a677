import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffJobs, type FieldDiff, type ObjectDiff } from './job-diff.js';
import type { Job } from './job.js';
import { mockJob, mockTask, mockTaskGroup } from './mock.js';

const base = (): Job => mockJob({ ID: 'example', Name: 'example' });
const edit = (f: (j: Job) => void): Job => {
  const j = structuredClone(base());
  f(j);
  return j;
};
const field = (l: readonly FieldDiff[], name: string): FieldDiff | undefined => l.find((f) => f.Name === name);
const object = (l: readonly ObjectDiff[], name: string): ObjectDiff | undefined => l.find((o) => o.Name === name);

test('identical jobs diff to None with no fields, objects or group changes', () => {
  const d = diffJobs(base(), base(), true);
  assert.equal(d.Type, 'None');
  assert.equal(d.ID, 'example');
  assert.deepEqual(d.Fields, []);
  assert.deepEqual(d.Objects, []);
  assert.deepEqual(d.TaskGroups.map((g) => [g.Name, g.Type]), [['web', 'None']]);
});

test('fields that change on every write (Version, ModifyIndex, Status, SubmitTime) are not a diff', () => {
  const d = diffJobs(base(), edit((j) => Object.assign(j, { Version: 3, ModifyIndex: 500, JobModifyIndex: 500, Status: 'running', SubmitTime: 123, Stable: true })), false);
  assert.equal(d.Type, 'None');
});

test('edited primitive fields and meta keys are named as Nomad names them', () => {
  const d = diffJobs(edit((j) => (j.Meta = { owner: 'a', gone: 'x' })), edit((j) => Object.assign(j, { Priority: 70, Meta: { owner: 'b', added: 'y' } })), false);
  assert.equal(d.Type, 'Edited');
  assert.deepEqual(d.Fields, [
    { Type: 'Added', Name: 'Meta[added]', Old: '', New: 'y', Annotations: [] },
    { Type: 'Deleted', Name: 'Meta[gone]', Old: 'x', New: '', Annotations: [] },
    { Type: 'Edited', Name: 'Meta[owner]', Old: 'a', New: 'b', Annotations: [] },
    { Type: 'Edited', Name: 'Priority', Old: '50', New: '70', Annotations: [] },
  ]);
});

test('a new job is Added with every primitive field, its datacenters and its groups and tasks Added', () => {
  const d = diffJobs(null, base(), true);
  assert.equal(d.Type, 'Added');
  assert.deepEqual(field(d.Fields, 'Type'), { Type: 'Added', Name: 'Type', Old: '', New: 'service', Annotations: [] });
  assert.equal(field(d.Fields, 'Version'), undefined);
  assert.equal(object(d.Objects, 'Datacenters')?.Type, 'Added');
  const g = d.TaskGroups[0];
  assert.equal(g?.Type, 'Added');
  assert.deepEqual(field(g?.Fields ?? [], 'Count'), { Type: 'Added', Name: 'Count', Old: '', New: '10', Annotations: [] });
  assert.equal(g?.Tasks[0]?.Type, 'Added');
  assert.equal(object(g?.Tasks[0]?.Objects ?? [], 'Config')?.Type, 'Added');
});

test('a purged job is Deleted', () => {
  const d = diffJobs(base(), null, false);
  assert.equal(d.Type, 'Deleted');
  assert.equal(d.TaskGroups[0]?.Type, 'Deleted');
  assert.equal(d.TaskGroups[0]?.Tasks[0]?.Type, 'Deleted');
});

test('jobs with different IDs cannot be diffed', () => {
  assert.throws(() => diffJobs(base(), mockJob({ ID: 'other' }), false), /different IDs/);
});

test('a group count change is an Edited Count field of an Edited group', () => {
  const d = diffJobs(base(), edit((j) => (j.TaskGroups[0]!.Count = 3)), true);
  assert.equal(d.Type, 'Edited');
  const g = d.TaskGroups[0]!;
  assert.equal(g.Type, 'Edited');
  assert.deepEqual(g.Fields, [{ Type: 'Edited', Name: 'Count', Old: '10', New: '3', Annotations: [] }]);
  assert.equal(g.Tasks[0]?.Type, 'None');
});

test('added and deleted groups and tasks', () => {
  const d = diffJobs(
    base(),
    edit((j) => {
      j.TaskGroups.push(mockTaskGroup({ Name: 'cache' }));
      j.TaskGroups[0]!.Tasks = [mockTask({ Name: 'sidecar' })];
    }),
    false,
  );
  assert.deepEqual(d.TaskGroups.map((g) => [g.Name, g.Type]), [['cache', 'Added'], ['web', 'Edited']]);
  assert.deepEqual(d.TaskGroups[1]?.Tasks.map((t) => [t.Name, t.Type]), [['sidecar', 'Added'], ['web', 'Deleted']]);
});

test('task driver, env and config changes: fields and a Config object with flattened keys', () => {
  const d = diffJobs(
    edit((j) => (j.TaskGroups[0]!.Tasks[0]!.Config = { image: 'redis:6', args: ['a', 'b'], ports: ['db'] })),
    edit((j) => {
      const t = j.TaskGroups[0]!.Tasks[0]!;
      t.Driver = 'docker';
      t.Env = { PORT: '8080' };
      t.Config = { image: 'redis:7', args: ['a'], ports: ['db'] };
    }),
    false,
  );
  const t = d.TaskGroups[0]!.Tasks[0]!;
  assert.equal(t.Type, 'Edited');
  assert.deepEqual(t.Fields.map((f) => [f.Type, f.Name, f.Old, f.New]), [['Edited', 'Driver', 'mock_driver', 'docker'], ['Added', 'Env[PORT]', '', '8080']]);
  assert.deepEqual(object(t.Objects, 'Config'), {
    Type: 'Edited',
    Name: 'Config',
    Fields: [
      { Type: 'Deleted', Name: 'args[1]', Old: 'b', New: '', Annotations: [] },
      { Type: 'Edited', Name: 'image', Old: 'redis:6', New: 'redis:7', Annotations: [] },
    ],
    Objects: [],
  });
});

test('contextual mode keeps the unchanged fields of a changed object as None', () => {
  const changed = edit((j) => (j.TaskGroups[0]!.Tasks[0]!.Resources.CPU = 600));
  const plain = object(diffJobs(base(), changed, false).TaskGroups[0]!.Tasks[0]!.Objects, 'Resources');
  assert.deepEqual(plain?.Fields.map((f) => f.Name), ['CPU']);
  const ctx = object(diffJobs(base(), changed, true).TaskGroups[0]!.Tasks[0]!.Objects, 'Resources');
  assert.equal(ctx?.Type, 'Edited');
  assert.deepEqual(field(ctx?.Fields ?? [], 'CPU'), { Type: 'Edited', Name: 'CPU', Old: '500', New: '600', Annotations: [] });
  assert.deepEqual(field(ctx?.Fields ?? [], 'MemoryMB'), { Type: 'None', Name: 'MemoryMB', Old: '256', New: '256', Annotations: [] });
});

test('constraints are matched by content: a changed constraint is one Deleted and one Added object', () => {
  const d = diffJobs(
    edit((j) => (j.Constraints = [{ LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' }])),
    edit((j) => (j.Constraints = [{ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }])),
    false,
  );
  assert.deepEqual(d.Objects.map((o) => [o.Name, o.Type]), [['Constraint', 'Added'], ['Constraint', 'Deleted']]);
  assert.deepEqual(field(d.Objects[0]!.Fields, 'RTarget'), { Type: 'Added', Name: 'RTarget', Old: '', New: 'windows', Annotations: [] });
});

test('datacenters are a set: reordering is no change, additions are listed', () => {
  assert.equal(diffJobs(edit((j) => (j.Datacenters = ['a', 'b'])), edit((j) => (j.Datacenters = ['b', 'a'])), true).Type, 'None');
  const d = diffJobs(edit((j) => (j.Datacenters = ['a'])), edit((j) => (j.Datacenters = ['a', 'b'])), true);
  assert.deepEqual(object(d.Objects, 'Datacenters')?.Fields.map((f) => [f.Type, f.Old, f.New]), [['Added', '', 'b'], ['None', 'a', 'a']]);
});

test('group blocks: restart policy, update (Stagger ignored) and networks with ports', () => {
  const d = diffJobs(
    base(),
    edit((j) => {
      const g = j.TaskGroups[0]!;
      g.RestartPolicy = { ...g.RestartPolicy, Attempts: 9 };
      g.Networks = [{ Mode: 'bridge', Device: '', CIDR: '', IP: '', Hostname: '', MBits: 0, DNS: null, ReservedPorts: null, DynamicPorts: [{ Label: 'http', Value: 0, To: 8080, HostNetwork: 'default' }] }];
    }),
    false,
  );
  const g = d.TaskGroups[0]!;
  assert.deepEqual(object(g.Objects, 'RestartPolicy')?.Fields.map((f) => [f.Name, f.Old, f.New]), [['Attempts', '2', '9']]);
  const net = object(g.Objects, 'Network');
  assert.equal(net?.Type, 'Added');
  assert.deepEqual(net?.Fields.map((f) => f.Name), ['Mode']);
  assert.deepEqual(net?.Objects.map((o) => [o.Name, o.Type, o.Fields.map((f) => f.Name).join(',')]), [['Dynamic Port', 'Added', 'HostNetwork,Label,To']]);
  assert.equal(diffJobs(edit((j) => (j.TaskGroups[0]!.Update = { Stagger: 1, MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 0, HealthyDeadline: 0, ProgressDeadline: 0, AutoRevert: false, AutoPromote: false, Canary: 0 })), edit((j) => (j.TaskGroups[0]!.Update = { Stagger: 2, MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 0, HealthyDeadline: 0, ProgressDeadline: 0, AutoRevert: false, AutoPromote: false, Canary: 0 })), false).TaskGroups[0]!.Objects.length, 0);
});

test('templates are matched by destination and services by name and port', () => {
  const tmpl = (dest: string, data: string): NonNullable<Job['TaskGroups'][0]['Tasks'][0]['Templates']>[0] => ({ SourcePath: '', DestPath: dest, EmbeddedTmpl: data, ChangeMode: 'restart', ChangeSignal: '', ChangeScript: null, Splay: 0, Perms: '0644', Uid: null, Gid: null, LeftDelim: '{{', RightDelim: '}}', Envvars: false, VaultGrace: 0, Wait: null, ErrMissingKey: false, Once: false });
  const d = diffJobs(
    edit((j) => (j.TaskGroups[0]!.Tasks[0]!.Templates = [tmpl('local/a', 'x'), tmpl('local/b', 'y')])),
    edit((j) => (j.TaskGroups[0]!.Tasks[0]!.Templates = [tmpl('local/b', 'y'), tmpl('local/a', 'z')])),
    false,
  );
  const objs = d.TaskGroups[0]!.Tasks[0]!.Objects;
  assert.deepEqual(objs.map((o) => [o.Name, o.Type, o.Fields.map((f) => `${f.Name}:${f.Old}=>${f.New}`).join(',')]), [['Template', 'Edited', 'EmbeddedTmpl:x=>z']]);
});

test('the diff is independent of key order in the stored job', () => {
  const a = base();
  const reordered = JSON.parse(JSON.stringify(a, Object.keys(a).sort())) as Job;
  Object.assign(reordered, { TaskGroups: a.TaskGroups, Update: a.Update });
  assert.equal(diffJobs(a, reordered, true).Type, 'None');
});
