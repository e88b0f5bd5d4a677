// The client role end to end: the real `roam` binary as a dev agent and as a persistent
// -server -client agent, real raw_exec tasks (processes under the executor shim), jobs submitted
// with `roam job run`, state read through the HTTP API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RoamApi } from '../../src/api/index.js';
import type { Allocation } from '../../src/structs/alloc.js';
import { roam, startAgent, type RunningAgent } from '../helpers/roam.js';
import { waitFor, waitForReadyNode } from '../helpers/wait.js';


function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function runJob(agent: RunningAgent, dir: string, name: string, hcl: string): void {
  const file = path.join(dir, `${name}.nomad.hcl`);
  fs.writeFileSync(file, hcl);
  const r = roam(['job', 'run', '-detach', file], { env: { ROAM_ADDR: agent.address } });
  assert.equal(r.code, 0, r.stderr + r.stdout);
}

async function allocs(api: RoamApi, job: string): Promise<Allocation[]> {
  const stubs = (await api.jobs.allocations(job, true)).data;
  return Promise.all(stubs.map(async (s) => (await api.allocations.info(s.ID)).data));
}

function readPids(dir: string, prefix: string): number[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pid'))
    .map((f) => Number(fs.readFileSync(path.join(dir, f), 'utf8').trim()));
}

describe('dev agent with raw_exec', () => {
  let agent: RunningAgent;
  let api: RoamApi;
  let work: string;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-client-'));
    fs.chmodSync(work, 0o777);
    agent = await startAgent(['-dev']);
    api = new RoamApi({ address: agent.address });
    await waitForReadyNode(api);
  });

  after(async () => {
    // Anything still running is stopped by the dev agent's shutdown (it destroys its allocations).
    await agent.stop();
    for (const pid of readPids(work, '')) if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('the node reports its fingerprint and the agent its node ID', async () => {
    const nodes = (await api.nodes.list()).data;
    const node = (await api.nodes.info(nodes[0]?.ID ?? '')).data;
    assert.equal(node.Attributes['driver.raw_exec'], '1');
    assert.equal(node.Attributes['unique.network.ip-address'], '127.0.0.1');
    assert.equal(node.Attributes['nomad.version'], '2.0.6');
    assert.ok(Number(node.Attributes['cpu.totalcompute']) > 0);
    assert.ok(node.NodeResources.Memory.MemoryMB > 0);
    const self = (await (await fetch(`${agent.address}/v1/agent/self`)).json()) as { stats: { client: { node_id: string } } };
    assert.equal(self.stats.client.node_id, node.ID);
  });

  test('a batch raw_exec job completes and its output is in the rotated log file', async () => {
    runJob(
      agent,
      work,
      'hello',
      `job "hello" {
  type = "batch"
  group "g" {
    task "say" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo hello from $NOMAD_TASK_NAME in $NOMAD_ALLOC_NAME; echo $NOMAD_ALLOC_DIR > ${work}/hello.allocdir"]
      }
    }
  }
}`,
    );
    const [a] = await waitFor('hello complete', async () => {
      const list = await allocs(api, 'hello');
      return list.length === 1 && list[0]?.ClientStatus === 'complete' ? list : undefined;
    });
    const ts = a?.TaskStates?.['say'];
    assert.deepEqual(ts?.Events?.map((e) => e.Type), ['Received', 'Task Setup', 'Started', 'Terminated']);
    assert.equal(ts?.Events?.at(-1)?.DisplayMessage, 'Exit Code: 0');
    const allocDir = fs.readFileSync(path.join(work, 'hello.allocdir'), 'utf8').trim();
    assert.equal(path.basename(allocDir), 'alloc');
    await waitFor('log flushed', async () => fs.existsSync(path.join(allocDir, 'logs', 'say.stdout.0')) && fs.readFileSync(path.join(allocDir, 'logs', 'say.stdout.0'), 'utf8').includes('hello'));
    assert.equal(fs.readFileSync(path.join(allocDir, 'logs', 'say.stdout.0'), 'utf8'), 'hello from say in hello.g[0]\n');
    for (const d of ['data', 'tmp']) assert.ok(fs.statSync(path.join(allocDir, d)).isDirectory());
    for (const d of ['local', 'secrets', 'tmp', 'private']) assert.ok(fs.statSync(path.join(allocDir, '..', 'say', d)).isDirectory());
  });

  test('a service job with count 3 runs 3 processes; a killed task restarts per policy; job stop kills them', async () => {
    runJob(
      agent,
      work,
      'svc',
      `job "svc" {
  group "g" {
    count = 3
    restart {
      attempts = 2
      interval = "30m"
      delay    = "1s"
      mode     = "fail"
    }
    task "sleeper" {
      driver = "raw_exec"
      kill_timeout = "2s"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo $$ > ${work}/svc-$NOMAD_ALLOC_ID-$(date +%s%N).pid; exec sleep 300"]
      }
    }
  }
}`,
    );
    await waitFor('3 running', async () => {
      const list = await allocs(api, 'svc');
      return list.length === 3 && list.every((a) => a.ClientStatus === 'running') ? true : undefined;
    });
    const pids = await waitFor('3 pid files', async () => {
      const p = readPids(work, 'svc-');
      return p.length === 3 ? p : undefined;
    });
    assert.ok(pids.every(alive), 'all three processes run');

    // kill -9 one task: it is restarted per the restart policy, with Nomad's events.
    const victim = pids[0] ?? 0;
    process.kill(victim, 'SIGKILL');
    await waitFor('restarted', async () => (readPids(work, 'svc-').length === 4 ? true : undefined), 20_000);
    const restarted = await waitFor('restarted alloc running', async () => {
      const list = await allocs(api, 'svc');
      const a = list.find((x) => (x.TaskStates?.['sleeper']?.Restarts ?? 0) === 1);
      return a && a.TaskStates?.['sleeper']?.State === 'running' ? a : undefined;
    });
    const ev = restarted.TaskStates?.['sleeper']?.Events ?? [];
    const term = ev.find((e) => e.Type === 'Terminated');
    assert.equal(term?.Signal, 9);
    assert.match(term?.DisplayMessage ?? '', /Signal: 9/);
    const rs = ev.find((e) => e.Type === 'Restarting');
    assert.equal(rs?.RestartReason, 'Restart within policy');
    assert.match(rs?.DisplayMessage ?? '', /^Task restarting in 1\.\d+s$/);
    assert.equal(ev.at(-1)?.Type, 'Started');

    const all = readPids(work, 'svc-').filter(alive);
    assert.equal(all.length, 3);
    const r = roam(['job', 'stop', '-detach', 'svc'], { env: { ROAM_ADDR: agent.address } });
    assert.equal(r.code, 0, r.stderr);
    await waitFor('all complete', async () => ((await allocs(api, 'svc')).every((a) => a.ClientStatus === 'complete') ? true : undefined));
    await waitFor('processes gone', async () => (all.every((p) => !alive(p)) ? true : undefined), 10_000);
    const done = await allocs(api, 'svc');
    for (const a of done) assert.deepEqual(a.TaskStates?.['sleeper']?.Events?.slice(-3).map((e) => e.Type), ['Killing', 'Terminated', 'Killed']);
  });

  test('a task that keeps failing ends its allocation failed and it is rescheduled', async () => {
    runJob(
      agent,
      work,
      'flaky',
      `job "flaky" {
  group "g" {
    restart {
      attempts = 1
      interval = "10s"
      delay    = "1s"
      mode     = "fail"
    }
    reschedule {
      attempts       = 1
      interval       = "1h"
      delay          = "5s"
      delay_function = "constant"
      unlimited      = false
    }
    task "boom" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "exit 3"]
      }
    }
  }
}`,
    );
    const list = await waitFor(
      'failed and rescheduled',
      async () => {
        const l = await allocs(api, 'flaky');
        return l.length >= 2 && l.some((a) => a.ClientStatus === 'failed') ? l : undefined;
      },
      40_000,
    );
    const failed = list.find((a) => a.ClientStatus === 'failed');
    const ev = failed?.TaskStates?.['boom']?.Events ?? [];
    assert.equal(ev.at(-1)?.Type, 'Not Restarting');
    assert.equal(ev.at(-1)?.DisplayMessage, 'Exceeded allowed attempts 1 in interval 10s and mode is "fail"');
    assert.ok(ev.some((e) => e.Type === 'Terminated' && e.ExitCode === 3));
    assert.equal(failed?.TaskStates?.['boom']?.Failed, true);
    const next = list.find((a) => a.PreviousAllocation === failed?.ID);
    assert.ok(next, 'a replacement allocation was placed');
    roam(['job', 'stop', '-detach', '-purge', 'flaky'], { env: { ROAM_ADDR: agent.address } });
  });
});

describe('persistent -server -client agent survives kill -9', () => {
  test('tasks keep their PIDs, the restarted agent re-attaches, no duplicates, exit codes of tasks that ended meanwhile are kept', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-data-'));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-work-'));
    const config = { plugin: { raw_exec: { config: { enabled: true } } } };
    const args = ['-server', '-client', '-bootstrap-expect', '1', '-data-dir', dataDir, '-bind', '127.0.0.1', '-network-interface', 'lo'];
    let agent = await startAgent(args, config);
    const cleanup: (() => void)[] = [() => fs.rmSync(dataDir, { recursive: true, force: true }), () => fs.rmSync(work, { recursive: true, force: true })];
    try {
      let api = new RoamApi({ address: agent.address });
      await waitFor('node ready', async () => {
        const nodes = (await api.nodes.list()).data;
        return nodes.length === 1 && nodes[0]?.Status === 'ready' && nodes[0].Drivers['raw_exec']?.Healthy ? true : undefined;
      });
      const nodeID = (await api.nodes.list()).data[0]?.ID;
      runJob(
        agent,
        work,
        'keep',
        `job "keep" {
  group "g" {
    count = 2
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo $$ > ${work}/keep-$NOMAD_ALLOC_ID-$(date +%s%N).pid; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"]
      }
    }
  }
}`,
      );
      runJob(
        agent,
        work,
        'ends',
        `job "ends" {
  type = "batch"
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo $$ > ${work}/ends-$NOMAD_ALLOC_ID.pid; while [ ! -f ${work}/release ]; do sleep 0.1; done; exit 42"]
      }
    }
  }
}`,
      );
      await waitFor('all running', async () => {
        const k = await allocs(api, 'keep');
        const e = await allocs(api, 'ends');
        return k.length === 2 && e.length === 1 && [...k, ...e].every((a) => a.ClientStatus === 'running') ? true : undefined;
      });
      const pids = await waitFor('pids', async () => {
        const p = readPids(work, 'keep-');
        return p.length === 2 ? p.sort() : undefined;
      });
      const endsPid = readPids(work, 'ends-')[0] ?? 0;
      cleanup.unshift(() => [...pids, endsPid].forEach((p) => alive(p) && process.kill(p, 'SIGKILL')));

      // kill -9 the agent: the tasks are untouched.
      await agent.stop('SIGKILL');
      assert.ok(pids.every(alive), 'tasks survive the agent');
      // One task finishes while the agent is down.
      fs.writeFileSync(path.join(work, 'release'), '');
      await waitFor('ends exited', async () => (!alive(endsPid) ? true : undefined), 10_000);

      agent = await startAgent(args, config);
      api = new RoamApi({ address: agent.address });
      await waitFor('node ready again', async () => {
        const n = (await api.nodes.list()).data;
        return n.length === 1 && n[0]?.Status === 'ready' ? true : undefined;
      });
      assert.equal((await api.nodes.list()).data[0]?.ID, nodeID, 'same node');
      const ended = await waitFor('ends reported', async () => {
        const e = await allocs(api, 'ends');
        return e[0]?.ClientStatus === 'failed' ? e[0] : undefined;
      });
      const term = ended.TaskStates?.['t']?.Events?.find((e) => e.Type === 'Terminated');
      assert.equal(term?.ExitCode, 42, 'the exit code of a task that ended while the agent was down');
      await new Promise((r) => setTimeout(r, 1000));
      const keep = await allocs(api, 'keep');
      assert.equal(keep.length, 2);
      assert.ok(keep.every((a) => a.ClientStatus === 'running'));
      for (const a of keep) assert.equal(a.TaskStates?.['t']?.Events?.filter((e) => e.Type === 'Started').length, 1, 'no second start');
      assert.deepEqual(readPids(work, 'keep-').sort(), pids, 'no duplicate task was started');
      assert.ok(pids.every(alive), 'same PIDs');
      // Logs keep flowing into the same files.
      const allocDir = path.join(dataDir, 'alloc', keep[0]?.ID ?? '', 'alloc', 'logs', 't.stdout.0');
      const size1 = fs.statSync(allocDir).size;
      await new Promise((r) => setTimeout(r, 600));
      assert.ok(fs.statSync(allocDir).size > size1);

      // A graceful stop of a persistent agent also leaves tasks running.
      await agent.stop('SIGINT');
      assert.ok(pids.every(alive), 'SIGINT shutdown leaves tasks running');
      agent = await startAgent(args, config);
      api = new RoamApi({ address: agent.address });
      const r = roam(['job', 'stop', '-detach', 'keep'], { env: { ROAM_ADDR: agent.address } });
      assert.equal(r.code, 0, r.stderr);
      await waitFor('tasks stopped', async () => (pids.every((p) => !alive(p)) ? true : undefined), 20_000);
    } finally {
      await agent.stop();
      for (const c of cleanup) c();
    }
  });
});

describe('separate server and client agents', () => {
  test('roam agent -client -servers … -data-dir B runs work for roam agent -server -data-dir A', async () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-server-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-clientdir-'));
    const server = await startAgent(['-server', '-bootstrap-expect', '1', '-data-dir', a, '-bind', '127.0.0.1']);
    let client: RunningAgent | undefined;
    try {
      client = await startAgent(['-client', '-servers', `127.0.0.1:${server.port}`, '-data-dir', b, '-bind', '127.0.0.1', '-network-interface', 'lo', '-node', 'worker-1'], { plugin: { raw_exec: { config: { enabled: true } } } });
      const api = new RoamApi({ address: server.address });
      const node = await waitFor('client node ready', async () => {
        const n = (await api.nodes.list()).data;
        return n.length === 1 && n[0]?.Status === 'ready' ? n[0] : undefined;
      });
      assert.equal(node.Name, 'worker-1');
      assert.ok(fs.existsSync(path.join(b, 'client', 'client-id')));
      assert.equal(fs.readFileSync(path.join(b, 'client', 'client-id'), 'utf8'), node.ID);
      assert.ok(fs.existsSync(path.join(b, 'client', 'state.db')));
      runJob(
        server,
        b,
        'remote',
        `job "remote" {
  type = "batch"
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}`,
      );
      const [done] = await waitFor('remote complete', async () => {
        const l = await allocs(api, 'remote');
        return l.length === 1 && l[0]?.ClientStatus === 'complete' ? l : undefined;
      });
      assert.equal(done?.NodeID, node.ID);
      assert.ok(fs.statSync(path.join(b, 'alloc', done?.ID ?? '', 't', 'local')).isDirectory());
    } finally {
      await client?.stop();
      await server.stop();
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
  });
});
