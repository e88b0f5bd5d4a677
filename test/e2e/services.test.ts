// Nomad-provider service discovery end to end on a dev agent: a raw_exec job with a dynamic port
// and a group `service { provider = "nomad" }` registers at 127.0.0.1:<allocated port>, the
// service CLI shows it, a second job's template reads it with nomadService, and job stop
// deregisters it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServiceRegistration } from '../../src/structs/services.js';
import { roam } from '../helpers/roam.js';
import { devAgentSession } from '../helpers/dev-agent.js';
import { waitFor, onlyAlloc } from '../helpers/wait.js';


describe('nomad service discovery on a dev agent', () => {
  const dev = devAgentSession('roam-e2e-services-');

  test('a group service registers with the allocated port, templates read it, job stop removes it', async () => {
    dev.runJob(
      'web',
      `job "web" {
  group "g" {
    network {
      port "http" {}
    }
    service {
      name     = "web-svc"
      provider = "nomad"
      port     = "http"
      tags     = ["v1", "\${NOMAD_GROUP_NAME}"]
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
    }
  }
}`,
    );
    const alloc = await onlyAlloc(dev.api, 'web', (a) => a.ClientStatus === 'running');
    const port = alloc.AllocatedResources?.Shared.Ports?.find((p) => p.Label === 'http');
    assert.ok(port && port.Value >= 20000, JSON.stringify(alloc.AllocatedResources?.Shared));
    const regs = await waitFor('web-svc registered', async () => {
      const r = (await dev.api.services.info('web-svc')).data;
      return r.length === 1 ? r : undefined;
    });
    const s = regs[0] as ServiceRegistration;
    assert.equal(s.Address, '127.0.0.1');
    assert.equal(s.Port, port.Value);
    assert.equal(s.AllocID, alloc.ID);
    assert.equal(s.JobID, 'web');
    assert.equal(s.NodeID, alloc.NodeID);
    assert.equal(s.Datacenter, 'dc1');
    assert.deepEqual(s.Tags, ['v1', 'g']);
    assert.equal(s.ID, `_nomad-task-${alloc.ID}-group-g-web-svc-http`);
    assert.equal((await dev.api.jobs.services('web')).data.length, 1);

    const list = roam(['service', 'list'], { env: dev.env() });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^Service Name\s+Tags\n/);
    assert.match(list.stdout, /web-svc\s+\[g,v1\]/);
    const info = roam(['service', 'info', 'web-svc'], { env: dev.env() });
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /^Job ID\s+Address\s+Tags\s+Node ID\s+Alloc ID\n/);
    assert.match(info.stdout, new RegExp(`web\\s+127\\.0\\.0\\.1:${port.Value}\\s+\\[v1,g\\]\\s+${alloc.NodeID.slice(0, 8)}\\s+${alloc.ID.slice(0, 8)}`));
    const verbose = roam(['service', 'info', '-verbose', 'web-svc'], { env: dev.env() });
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.match(verbose.stdout, new RegExp(`ID\\s+= ${s.ID}`));

    // A second job's template reads the service and feeds the task environment.
    dev.runJob(
      'reader',
      `job "reader" {
  type = "batch"
  group "g" {
    task "read" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo got=$ADDR"]
      }
      template {
        data        = "{{ range nomadService \\"web-svc\\" }}ADDR={{ .Address }}:{{ .Port }}{{ end }}\\n"
        destination = "local/env.txt"
        env         = true
      }
    }
  }
}`,
    );
    const reader = await onlyAlloc(dev.api, 'reader', (a) => a.ClientStatus === 'complete' || a.ClientStatus === 'failed');
    assert.equal(reader.ClientStatus, 'complete', JSON.stringify(reader.TaskStates));
    const cat = async (p: string): Promise<string> => {
      const res = await fetch(`${dev.agent.address}/v1/client/fs/cat/${reader.ID}?path=${encodeURIComponent(p)}`);
      assert.equal(res.status, 200, p);
      return res.text();
    };
    assert.equal(await cat('read/local/env.txt'), `ADDR=127.0.0.1:${port.Value}\n`);
    const log = await waitFor('log flushed', async () => {
      const t = await cat('alloc/logs/read.stdout.0');
      return t.includes('got=') ? t : undefined;
    });
    assert.equal(log, `got=127.0.0.1:${port.Value}\n`);

    const stop = roam(['job', 'stop', '-detach', 'web'], { env: dev.env() });
    assert.equal(stop.code, 0, stop.stderr + stop.stdout);
    await waitFor('web-svc deregistered', async () => ((await dev.api.services.info('web-svc')).data.length === 0 ? true : undefined));
    const empty = roam(['service', 'info', 'web-svc'], { env: dev.env() });
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /No service registrations found/);
  });

  test('a task-level service registers once the task runs; service delete removes a registration', async () => {
    dev.runJob(
      'tasksvc',
      `job "tasksvc" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
      service {
        name     = "task-\${NOMAD_TASK_NAME}"
        provider = "nomad"
      }
    }
  }
}`,
    );
    const alloc = await onlyAlloc(dev.api, 'tasksvc', (a) => a.ClientStatus === 'running');
    const regs = await waitFor('task-t registered', async () => {
      const r = (await dev.api.services.info('task-t')).data;
      return r.length === 1 ? r : undefined;
    });
    const s = regs[0] as ServiceRegistration;
    assert.equal(s.ID, `_nomad-task-${alloc.ID}-t-task-t-`);
    assert.equal(s.Address, '127.0.0.1');
    assert.equal(s.Port, 0);
    const del = roam(['service', 'delete', 'task-t', s.ID], { env: dev.env() });
    assert.equal(del.code, 0, del.stderr + del.stdout);
    assert.match(del.stdout, /Successfully deleted service registration/);
    assert.equal((await dev.api.services.info('task-t')).data.length, 0);
    assert.equal(roam(['job', 'stop', '-detach', 'tasksvc'], { env: dev.env() }).code, 0);
  });
});
