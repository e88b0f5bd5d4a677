// Task templates end to end on a real dev agent: an `env = true` template feeds the task's
// environment, a template waiting for a service that does not exist reports "Missing: …" and is
// stopped cleanly, and the service discovery read routes answer (artifacts: artifacts.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { roam } from '../helpers/roam.js';
import { devAgentSession } from '../helpers/dev-agent.js';
import { waitFor, onlyAlloc } from '../helpers/wait.js';


describe('templates on a dev agent', () => {
  const dev = devAgentSession('roam-e2e-template-');

  test('an env = true template feeds the task environment (NOMAD_META_budget → PTC_BUDGET)', async () => {
    dev.runJob(
      'budget',
      `job "budget" {
  type = "batch"
  meta {
    budget = "200"
  }
  group "g" {
    task "setup" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo $PTC_BUDGET"]
      }
      template {
        data        = <<EOT
PTC_BUDGET={{ env "NOMAD_META_budget" }}
EOT
        destination = "local/env.txt"
        env         = true
      }
    }
  }
}`,
    );
    const a = await onlyAlloc(dev.api, 'budget', (x) => x.ClientStatus === 'complete' || x.ClientStatus === 'failed');
    assert.equal(a.ClientStatus, 'complete', JSON.stringify(a.TaskStates));
    const types = a.TaskStates?.['setup']?.Events?.map((e) => e.Type) ?? [];
    assert.deepEqual(types, ['Received', 'Task Setup', 'Started', 'Terminated']);
    const cat = async (p: string): Promise<string> => {
      const res = await fetch(`${dev.agent.address}/v1/client/fs/cat/${a.ID}?path=${encodeURIComponent(p)}`);
      assert.equal(res.status, 200, p);
      return res.text();
    };
    const log = await waitFor('log flushed', async () => {
      const t = await cat('alloc/logs/setup.stdout.0');
      return t.includes('200') ? t : undefined;
    });
    assert.equal(log, '200\n');
    assert.equal(await cat('setup/local/env.txt'), 'PTC_BUDGET=200\n');
    assert.doesNotMatch(dev.agent.output(), /template rendering is not implemented/);
  });

  test('a template waiting for a missing service reports it, and job stop ends the wait', async () => {
    dev.runJob(
      'waiter',
      `job "waiter" {
  group "g" {
    task "w" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
      template {
        data        = "{{ range nomadService \\"redis-svc\\" }}{{ .Address }}{{ end }}"
        destination = "local/redis.txt"
      }
    }
  }
}`,
    );
    const a = await onlyAlloc(dev.api, 'waiter', (x) => (x.TaskStates?.['w']?.Events ?? []).some((e) => e.Type === 'Template'));
    const ev = a.TaskStates?.['w']?.Events?.find((e) => e.Type === 'Template');
    assert.equal(ev?.DisplayMessage, 'Missing: nomad.service(redis-svc)');
    assert.equal(a.TaskStates?.['w']?.State, 'pending');
    const r = roam(['job', 'stop', '-detach', 'waiter'], { env: { ROAM_ADDR: dev.agent.address } });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const stopped = await onlyAlloc(dev.api, 'waiter', (x) => x.TaskStates?.['w']?.State === 'dead');
    assert.ok(!(stopped.TaskStates?.['w']?.Events ?? []).some((e) => e.Type === 'Started'));
  });

  test('GET /v1/services and /v1/service/:name answer (empty without registrations)', async () => {
    const list = await fetch(`${dev.agent.address}/v1/services`);
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), []);
    assert.ok(Number(list.headers.get('x-nomad-index')) >= 1);
    const one = await fetch(`${dev.agent.address}/v1/service/redis-svc?namespace=default`);
    assert.equal(one.status, 200);
    assert.deepEqual(await one.json(), []);
  });
});
