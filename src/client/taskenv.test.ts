import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../structs/mock.js';
import type { TaskDirs } from '../drivers/driver.js';
import { cleanEnvVar, formatCoreSet, replaceEnv, TaskEnvBuilder } from './taskenv.js';

const dirs: TaskDirs = {
  allocDir: '/var/roam/alloc/a1',
  sharedAllocDir: '/var/roam/alloc/a1/alloc',
  logDir: '/var/roam/alloc/a1/alloc/logs',
  dir: '/var/roam/alloc/a1/web',
  localDir: '/var/roam/alloc/a1/web/local',
  secretsDir: '/var/roam/alloc/a1/web/secrets',
  tmpDir: '/var/roam/alloc/a1/web/tmp',
  privateDir: '/var/roam/alloc/a1/web/private',
};

function fixture(taskOver: Parameters<typeof mockTask>[0] = {}) {
  const task = mockTask({ Name: 'web', Meta: { Owner: 'ops-team' }, ...taskOver });
  const job = mockJob({ ID: 'example', Name: 'example', Meta: { tier: 'gold' }, TaskGroups: [mockTaskGroup({ Name: 'cache', Tasks: [task], Meta: { 'rack-id': 'r1' } })] });
  const node = mockNode({ ID: '11111111-2222-3333-4444-555555555555', Name: 'node-a', Datacenter: 'dc1', NodeClass: 'big', Meta: { zone: 'z1' } });
  const alloc = mockAlloc(job, node, {
    ID: 'a1b2c3d4-0000-1111-2222-333333333333',
    Name: 'example.cache[2]',
    AllocatedResources: {
      Tasks: { web: { Cpu: { CpuShares: 500, ReservedCores: [0, 1, 2, 5] }, Memory: { MemoryMB: 256, MemoryMaxMB: 512 }, Networks: null, Devices: null } },
      TaskLifecycles: {},
      Shared: {
        Networks: null,
        DiskMB: 300,
        Ports: [
          { Label: 'http', Value: 23456, To: 8080, HostIP: '10.0.0.5' },
          { Label: 'db', Value: 25000, To: 0, HostIP: '10.0.0.5' },
        ],
      },
    },
  });
  return { task, job, node, alloc };
}

test('built-in NOMAD_* variables for a raw_exec task (host paths)', () => {
  const { task, node, alloc } = fixture();
  const env = new TaskEnvBuilder(node, alloc, task, 'global').setTaskDirs('none', dirs).build().env;
  assert.deepEqual(env, {
    NOMAD_ALLOC_DIR: '/var/roam/alloc/a1/alloc',
    NOMAD_TASK_DIR: '/var/roam/alloc/a1/web/local',
    NOMAD_SECRETS_DIR: '/var/roam/alloc/a1/web/secrets',
    NOMAD_CPU_LIMIT: '500',
    NOMAD_MEMORY_LIMIT: '256',
    NOMAD_MEMORY_MAX_LIMIT: '512',
    NOMAD_CPU_CORES: '0-2,5',
    NOMAD_ALLOC_ID: 'a1b2c3d4-0000-1111-2222-333333333333',
    NOMAD_SHORT_ALLOC_ID: 'a1b2c3d4',
    NOMAD_ALLOC_NAME: 'example.cache[2]',
    NOMAD_ALLOC_INDEX: '2',
    NOMAD_GROUP_NAME: 'cache',
    NOMAD_TASK_NAME: 'web',
    NOMAD_JOB_ID: 'example',
    NOMAD_JOB_NAME: 'example',
    NOMAD_DC: 'dc1',
    NOMAD_NAMESPACE: 'default',
    NOMAD_REGION: 'global',
    NOMAD_ADDR_http: '10.0.0.5:23456',
    NOMAD_HOST_ADDR_http: '10.0.0.5:23456',
    NOMAD_IP_http: '10.0.0.5',
    NOMAD_HOST_IP_http: '10.0.0.5',
    NOMAD_PORT_http: '8080',
    NOMAD_ALLOC_PORT_http: '8080',
    NOMAD_HOST_PORT_http: '23456',
    NOMAD_ADDR_db: '10.0.0.5:25000',
    NOMAD_HOST_ADDR_db: '10.0.0.5:25000',
    NOMAD_IP_db: '10.0.0.5',
    NOMAD_HOST_IP_db: '10.0.0.5',
    NOMAD_PORT_db: '25000',
    NOMAD_ALLOC_PORT_db: '25000',
    NOMAD_HOST_PORT_db: '25000',
    NOMAD_META_tier: 'gold',
    NOMAD_META_TIER: 'gold',
    'NOMAD_META_rack_id': 'r1',
    'NOMAD_META_RACK_ID': 'r1',
    NOMAD_META_Owner: 'ops-team',
    NOMAD_META_OWNER: 'ops-team',
  });
});

test('isolated drivers see /alloc, /local, /secrets; no MEMORY_MAX_LIMIT without memory_max; parent job ID', () => {
  const { task, node, alloc, job } = fixture();
  const a = { ...alloc, Job: { ...job, ParentID: 'example-periodic' } };
  const tr = a.AllocatedResources?.Tasks['web'];
  if (tr) tr.Memory.MemoryMaxMB = 0;
  const env = new TaskEnvBuilder(node, a, task, 'global').setTaskDirs('image', dirs).build().env;
  assert.equal(env['NOMAD_ALLOC_DIR'], '/alloc');
  assert.equal(env['NOMAD_TASK_DIR'], '/local');
  assert.equal(env['NOMAD_SECRETS_DIR'], '/secrets');
  assert.equal(env['NOMAD_MEMORY_MAX_LIMIT'], undefined);
  assert.equal(env['NOMAD_JOB_PARENT_ID'], 'example-periodic');
});

test('merge order: built-ins < meta < host env (denylisted, never overriding) < task env < hook env < template env', () => {
  const { node, alloc } = fixture();
  const task = mockTask({ Name: 'web', Env: { GREETING: 'hi ${NOMAD_TASK_NAME} on ${node.unique.name} in ${attr.kernel.name} ${meta.zone}', PATH: '/opt/bin', UNKNOWN: '${nope.value}', FROM_HOOK: 'task' } });
  const b = new TaskEnvBuilder(node, alloc, task, 'global')
    .setTaskDirs('none', dirs)
    .setHostEnv({ PATH: '/usr/bin', HOME: '/root', VAULT_TOKEN: 's.secret', NOMAD_TASK_NAME: 'host-wins?' })
    .setHookEnv('artifacts', { FROM_HOOK: 'hook', HOOKED: '${NOMAD_ALLOC_INDEX}' })
    .setTemplateEnv({ FROM_HOOK: 'template' });
  const env = b.build().env;
  assert.equal(env['GREETING'], 'hi web on node-a in linux z1');
  assert.equal(env['PATH'], '/opt/bin');
  assert.equal(env['HOME'], '/root');
  assert.equal(env['VAULT_TOKEN'], undefined);
  assert.equal(env['NOMAD_TASK_NAME'], 'web');
  assert.equal(env['UNKNOWN'], '${nope.value}');
  assert.equal(env['HOOKED'], '2');
  assert.equal(env['FROM_HOOK'], 'template');
});

test('interpolation of args and driver config with env and node variables; unknown names stay literal', () => {
  const { task, node, alloc } = fixture();
  const te = new TaskEnvBuilder(node, alloc, task, 'global').setTaskDirs('none', dirs).build();
  assert.deepEqual(
    te.replaceDeep({ command: '${NOMAD_TASK_DIR}/run.sh', args: ['-port', '${NOMAD_PORT_http}', '${node.datacenter}', '${node.class}', '${meta.zone}', '${missing}'], nested: [{ n: 3, s: '${node.unique.id}' }] }),
    { command: '/var/roam/alloc/a1/web/local/run.sh', args: ['-port', '8080', 'dc1', 'big', 'z1', '${missing}'], nested: [{ n: 3, s: '11111111-2222-3333-4444-555555555555' }] },
  );
  assert.equal(replaceEnv('${a}-${b}', { a: '1' }, { a: '2', b: '3' }), '1-3');
});

test('helpers: core sets and cleaned variable names', () => {
  assert.equal(formatCoreSet([3, 0, 1, 2, 7, 9, 10]), '0-3,7,9-10');
  assert.equal(formatCoreSet([]), '');
  assert.equal(cleanEnvVar('NOMAD_META_my-key.x'), 'NOMAD_META_my_key.x');
  assert.equal(cleanEnvVar('1abc'), '_abc');
});
