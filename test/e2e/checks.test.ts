// Nomad-provider health checks end to end on a dev agent: a raw_exec task serves its own alloc
// dir over HTTP (python3 -m http.server) on its dynamic port, with an http check (and
// check_restart) and a tcp check on its task service and a tcp check on a group service. The
// checks pass and show in /v1/client/allocation/:id/checks, `alloc status` and `alloc checks`;
// the task then deletes the file its http check reads, so the check fails (404) while the
// registration stays listed, and check_restart restarts the task ("Restart Signaled",
// "healthcheck: check "alive" unhealthy"), counted by the restart policy; the new run passes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { AllocCheckStatuses, CheckQueryResult } from '../../src/structs/checks.js';
import { roam } from '../helpers/roam.js';
import { devAgentSession } from '../helpers/dev-agent.js';
import { onlyAlloc, waitFor } from '../helpers/wait.js';

// First run only: serve local/www for 6 s, then delete the health file (the check gets 404s).
const SCRIPT = [
  'mkdir -p local/www && echo ok > local/www/health',
  'if [ ! -e "$NOMAD_ALLOC_DIR/ran-once" ]; then touch "$NOMAD_ALLOC_DIR/ran-once"; (sleep 6; rm -f local/www/health) & fi',
  'exec python3 -m http.server "$NOMAD_PORT_http" --bind 127.0.0.1 --directory local/www',
].join('\n');

const JOB = `job "checked" {
  group "g" {
    network {
      port "http" {}
    }
    restart {
      attempts = 3
      interval = "5m"
      delay    = "1s"
      mode     = "fail"
    }
    service {
      name     = "checked-group"
      provider = "nomad"
      port     = "http"
      check {
        name     = "group-port"
        type     = "tcp"
        interval = "1s"
        timeout  = "1s"
      }
    }
    task "web" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", ${JSON.stringify(SCRIPT)}]
      }
      service {
        name     = "checked-web"
        provider = "nomad"
        port     = "http"
        check {
          name     = "alive"
          type     = "http"
          path     = "/health"
          interval = "1s"
          timeout  = "1s"
          check_restart {
            limit = 2
            grace = "3s"
          }
        }
        check {
          name     = "port"
          type     = "tcp"
          interval = "1s"
          timeout  = "1s"
        }
      }
    }
  }
}`;

describe('nomad service checks on a dev agent', () => {
  const dev = devAgentSession('roam-e2e-checks-');

  test('checks pass, a failing http check is reported and restarts the task through check_restart', async () => {
    dev.runJob('checked', JOB);
    const alloc = await onlyAlloc(dev.api, 'checked', (a) => a.ClientStatus === 'running');
    const port = alloc.AllocatedResources?.Shared.Ports?.find((p) => p.Label === 'http')?.Value ?? 0;

    const checks = async (): Promise<AllocCheckStatuses> => {
      const res = await fetch(`${dev.agent.address}/v1/client/allocation/${alloc.ID}/checks`);
      assert.equal(res.status, 200);
      return ((await res.json()) as AllocCheckStatuses | null) ?? {};
    };
    const byName = (all: AllocCheckStatuses, name: string): CheckQueryResult | undefined => Object.values(all).find((r) => r.Check === name);

    // 1. Every check passes.
    const passing = await waitFor('all checks passing', async () => {
      const all = await checks();
      return Object.keys(all).length === 3 && Object.values(all).every((r) => r.Status === 'success') ? all : undefined;
    });
    const alive = byName(passing, 'alive');
    assert.ok(alive);
    assert.match(alive.ID, /^[0-9a-f]{64}$/);
    assert.equal(passing[alive.ID], alive, 'results are keyed by check ID');
    assert.deepEqual({ ...alive, ID: '', Timestamp: 0 }, { ID: '', Mode: 'healthiness', Status: 'success', StatusCode: 200, Output: 'nomad: http ok', Timestamp: 0, Group: alloc.Name, Task: 'web', Service: 'checked-web', Check: 'alive' });
    assert.ok(Math.abs(alive.Timestamp - Date.now() / 1000) < 30, 'Timestamp is in Unix seconds');
    assert.equal(byName(passing, 'port')?.Output, 'nomad: tcp ok');
    assert.equal(byName(passing, 'group-port')?.Task, undefined, 'group checks have no task');
    // The same answer through Nomad's other route, and through the API client.
    assert.deepEqual(Object.keys((await (await fetch(`${dev.agent.address}/v1/allocation/${alloc.ID}/checks`)).json()) as object).sort(), Object.keys(passing).sort());
    assert.equal(Object.keys(await dev.api.clientFs.allocChecks(alloc.ID)).length, 3);

    const status = roam(['alloc', 'status', alloc.ID.slice(0, 8)], { env: dev.env() });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /\n\nNomad Service Checks:\nService\s+Task\s+Name\s+Mode\s+Status\n/);
    assert.match(status.stdout, /checked-group\s+\(group\)\s+group-port\s+healthiness\s+success\n/);
    assert.match(status.stdout, /checked-web\s+web\s+alive\s+healthiness\s+success\n/);
    assert.match(status.stdout, /checked-web\s+web\s+port\s+healthiness\s+success\n/);
    const listed = roam(['alloc', 'checks', alloc.ID.slice(0, 8)], { env: dev.env() });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^Status of 3 Nomad Service Checks\n\n/);
    assert.match(listed.stdout, new RegExp(`ID\\s+=\\s+${alive.ID}\\nName\\s+=\\s+alive\\nGroup\\s+=\\s+checked\\.g\\[0\\]\\nTask\\s+=\\s+web\\nService\\s+=\\s+checked-web\\nStatus\\s+=\\s+success\\nStatusCode\\s+=\\s+200\\nMode\\s+=\\s+healthiness\\nTimestamp\\s+=\\s+\\d{4}-\\d\\d-\\d\\dT`));
    const tmpl = roam(['alloc', 'checks', '-t', '{{ range . }}{{ .Check }}={{ .Status }} {{ end }}', alloc.ID], { env: dev.env() });
    assert.equal(tmpl.code, 0, tmpl.stderr);
    assert.deepEqual(tmpl.stdout.trim().split(' ').sort(), ['alive=success', 'group-port=success', 'port=success']);
    assert.match(roam(['alloc', 'checks', '-json', '-t', '{{.}}', alloc.ID], { env: dev.env() }).stderr, /Both json and template formatting are not allowed/);

    // 2. The file is gone: the http check fails with the server's 404, the tcp checks still pass,
    //    and the registration is still listed.
    const failing = await waitFor('http check failing', async () => {
      const all = await checks();
      const r = byName(all, 'alive');
      return r?.Status === 'failure' && r.StatusCode === 404 ? all : undefined;
    }, 20_000, 50);
    assert.match(byName(failing, 'alive')?.Output ?? '', /404/);
    assert.equal(byName(failing, 'group-port')?.Status, 'success');
    const regs = (await dev.api.services.info('checked-web')).data;
    assert.equal(regs.length, 1, 'an unhealthy registration is still listed');
    assert.equal(regs[0]?.Port, port);

    // 3. check_restart: limit 2 at a 1 s interval restarts the task, as a failure within the policy.
    const state = await waitFor('restarted by check_restart', async () => {
      const ts = (await dev.api.allocations.info(alloc.ID)).data.TaskStates?.['web'];
      return ts && ts.Restarts === 1 && ts.State === 'running' ? ts : undefined;
    });
    const events = state.Events ?? [];
    const signaled = events.find((e) => e.Type === 'Restart Signaled');
    assert.ok(signaled, JSON.stringify(events.map((e) => e.Type)));
    assert.equal(signaled.RestartReason, 'healthcheck: check "alive" unhealthy');
    assert.equal(signaled.DisplayMessage, 'healthcheck: check "alive" unhealthy');
    const types = events.map((e) => e.Type);
    assert.ok(types.indexOf('Restart Signaled') < types.indexOf('Terminated') && types.indexOf('Terminated') < types.indexOf('Restarting'), types.join(','));
    assert.match(events.find((e) => e.Type === 'Restarting')?.DisplayMessage ?? '', /^Task restarting in 1(\.\d+)?s$/);

    // 4. The new run serves the file again: the check passes and the task keeps running.
    await waitFor('http check passing again', async () => (byName(await checks(), 'alive')?.Status === 'success' ? true : undefined));
    const after = roam(['alloc', 'status', alloc.ID.slice(0, 8)], { env: dev.env() });
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /Restart Signaled\s+healthcheck: check "alive" unhealthy/);
    assert.match(after.stdout, /checked-web\s+web\s+alive\s+healthiness\s+success\n/);

    // 5. Stopping the job purges the results.
    assert.equal(roam(['job', 'stop', '-detach', 'checked'], { env: dev.env() }).code, 0);
    await waitFor('results purged', async () => {
      const res = await fetch(`${dev.agent.address}/v1/client/allocation/${alloc.ID}/checks`);
      return res.status === 404 || (res.status === 200 && Object.keys(((await res.json()) as object | null) ?? {}).length === 0) ? true : undefined;
    });
  });

  test('an allocation without checks answers null; an unknown allocation is 404', async () => {
    const noChecks = `job "plain" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
    }
  }
}`;
    const file = path.join(dev.work, 'plain.nomad.hcl');
    fs.writeFileSync(file, noChecks);
    assert.equal(roam(['job', 'run', '-detach', file], { env: dev.env() }).code, 0);
    const alloc = await onlyAlloc(dev.api, 'plain', (a) => a.ClientStatus === 'running');
    const res = await fetch(`${dev.agent.address}/v1/client/allocation/${alloc.ID}/checks`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'null');
    const status = roam(['alloc', 'status', alloc.ID], { env: dev.env() });
    assert.doesNotMatch(status.stdout, /Nomad Service Checks/);
    const unknown = await fetch(`${dev.agent.address}/v1/client/allocation/00000000-0000-0000-0000-000000000000/checks`);
    assert.equal(unknown.status, 404);
    assert.equal(roam(['job', 'stop', '-detach', 'plain'], { env: dev.env() }).code, 0);
  });
});
