// Template re-rendering end to end on a real dev agent: a task's template over `nomadService "x"`
// re-renders when the job that registers x stops — with change_mode signal (the task traps
// SIGUSR1 and logs what the file now says) and with change_mode restart (the task starts again
// and logs the new content, "Restart Signaled" in its events); a template over nomadVar
// re-renders after `roam var put` and its change_script runs inside the task; another with
// change_mode signal gets SIGUSR1 when `roam var put` changes the variable, and its task logs it;
// `roam var get -out go-template` renders a template over the variable.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Allocation } from '../../src/structs/alloc.js';
import { roam } from '../helpers/roam.js';
import { devAgentSession } from '../helpers/dev-agent.js';
import { onlyAlloc, waitFor } from '../helpers/wait.js';

describe('template re-rendering on a dev agent', () => {
  const dev = devAgentSession('roam-e2e-rerender-');

  async function cat(allocID: string, p: string): Promise<string | undefined> {
    const res = await fetch(`${dev.agent.address}/v1/client/fs/cat/${allocID}?path=${encodeURIComponent(p)}`);
    return res.status === 200 ? res.text() : undefined;
  }

  async function eventsOf(allocID: string, task: string): Promise<{ Type: string; DisplayMessage: string }[]> {
    const a: Allocation = (await dev.api.allocations.info(allocID)).data;
    return a.TaskStates?.[task]?.Events ?? [];
  }

  after(async () => {
    for (const job of ['backend', 'web', 'vars', 'varsig']) roam(['job', 'stop', '-purge', job], { env: dev.env() });
  });

  test('stopping the job behind nomadService "x" re-renders: signal and restart', async () => {
    dev.runJob(
      'backend',
      `job "backend" {
  group "b" {
    network {
      port "http" {}
    }
    service {
      name     = "x"
      provider = "nomad"
      port     = "http"
    }
    task "b" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["600"]
      }
    }
  }
}`,
    );
    const regs = await waitFor('x registered', async () => {
      const r = (await dev.api.services.info('x')).data;
      return r.length === 1 ? r : undefined;
    });
    const addr = `${regs[0]?.Address}:${regs[0]?.Port}`;

    const tmplBlock = (mode: string): string => `
      template {
        data          = "{{ range nomadService \\"x\\" }}{{ .Address }}:{{ .Port }}{{ end }}"
        destination   = "local/x.txt"
        change_mode   = "${mode}"
        ${mode === 'signal' ? 'change_signal = "SIGUSR1"' : ''}
        splay         = "100ms"
      }`;
    dev.runJob(
      'web',
      `job "web" {
  group "g" {
    task "sig" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "trap 'echo \\"usr1: $(cat local/x.txt)\\"' USR1; echo \\"start: $(cat local/x.txt)\\"; while true; do sleep 1 & wait $!; done"]
      }${tmplBlock('signal')}
    }
    task "rst" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo \\"start: $(cat local/x.txt)\\"; exec sleep 600"]
      }${tmplBlock('restart')}
    }
  }
}`,
    );
    const web = await onlyAlloc(dev.api, 'web', (a) => a.TaskStates?.['sig']?.State === 'running' && a.TaskStates['rst']?.State === 'running');
    await waitFor('first render seen by the tasks', async () => (await cat(web.ID, 'alloc/logs/sig.stdout.0'))?.includes(`start: ${addr}`) && (await cat(web.ID, 'alloc/logs/rst.stdout.0'))?.includes(`start: ${addr}`));

    const r = roam(['job', 'stop', '-detach', 'backend'], { env: dev.env() });
    assert.equal(r.code, 0, r.stderr + r.stdout);

    // signal: the file is empty now, the task got SIGUSR1 and read it.
    const sigLog = await waitFor('SIGUSR1 handled', async () => {
      const t = await cat(web.ID, 'alloc/logs/sig.stdout.0');
      return t?.includes('usr1: \n') ? t : undefined;
    });
    assert.equal(sigLog.split('\n').filter((l) => l.startsWith('start:')).length, 1, sigLog);
    assert.equal(await cat(web.ID, 'sig/local/x.txt'), '');
    // Task events reach the server a moment after the task acted on the signal.
    await waitFor('the Signaling event', async () => (await eventsOf(web.ID, 'sig')).some((e) => e.Type === 'Signaling' && e.DisplayMessage === 'Template re-rendered'));

    // restart: the task started again and saw the new (empty) content.
    const rstLog = await waitFor('rst restarted', async () => {
      const t = await cat(web.ID, 'alloc/logs/rst.stdout.0');
      return t && t.split('\n').filter((l) => l.startsWith('start:')).length === 2 ? t : undefined;
    });
    assert.deepEqual(rstLog.split('\n').filter((l) => l.startsWith('start:')), [`start: ${addr}`, 'start: ']);
    const rstEvents = await waitFor('rst running again', async () => {
      const a = (await dev.api.allocations.info(web.ID)).data;
      const ts = a.TaskStates?.['rst'];
      const evs = ts?.Events ?? [];
      return ts?.State === 'running' && evs.some((e) => e.Type === 'Restart Signaled') ? evs : undefined;
    });
    const restart = rstEvents.find((e) => e.Type === 'Restart Signaled');
    assert.equal(restart?.DisplayMessage, 'Template with change_mode restart re-rendered');
    assert.equal((await dev.api.allocations.info(web.ID)).data.TaskStates?.['sig']?.Restarts, 0);

    // The CLI shows the event.
    const status = roam(['alloc', 'status', web.ID.slice(0, 8)], { env: dev.env() });
    assert.match(status.stdout, /Restart Signaled\s+Template with change_mode restart re-rendered/);
  });

  test('a variable change re-renders a nomadVar template and runs its change_script', async () => {
    let r = roam(['var', 'put', 'nomad/jobs/vars', 'pw=one'], { env: dev.env() });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    dev.runJob(
      'vars',
      `job "vars" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["600"]
      }
      template {
        data        = "{{ with nomadVar \\"nomad/jobs/vars\\" }}PW={{ .pw }}{{ end }}"
        destination = "local/pw.txt"
        change_mode = "script"
        splay       = "0s"
        change_script {
          command = "/bin/sh"
          args    = ["-c", "echo \\"reloaded $(cat $NOMAD_TASK_DIR/pw.txt)\\" >> $NOMAD_TASK_DIR/reloads.txt"]
        }
      }
    }
  }
}`,
    );
    const a = await onlyAlloc(dev.api, 'vars', (x) => x.TaskStates?.['t']?.State === 'running');
    assert.equal(await cat(a.ID, 't/local/pw.txt'), 'PW=one');

    r = roam(['var', 'put', '-force', 'nomad/jobs/vars', 'pw=two'], { env: dev.env() });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const reloads = await waitFor('change_script ran', () => cat(a.ID, 't/local/reloads.txt'));
    assert.equal(reloads, 'reloaded PW=two\n');
    assert.equal(await cat(a.ID, 't/local/pw.txt'), 'PW=two');
    const evs = await waitFor('script event', async () => {
      const e = await eventsOf(a.ID, 't');
      return e.some((x) => x.Type === 'Task hook message') ? e : undefined;
    });
    const msg = evs.find((x) => x.Type === 'Task hook message')?.DisplayMessage ?? '';
    assert.match(msg, /^Template successfully ran script \/bin\/sh with arguments: \[-c echo .*\]\. Exit code: 0$/);
    assert.ok(!evs.some((x) => x.Type === 'Restart Signaled'));

    // roam var get -out go-template
    const got = roam(['var', 'get', '-out', 'go-template', '-template', '{{ .Path }}: {{ .Items.pw }}', 'nomad/jobs/vars'], { env: dev.env() });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, 'nomad/jobs/vars: two\n');
  });

  test('roam var put re-renders a nomadVar template with change_mode signal: the task traps SIGUSR1', async () => {
    let r = roam(['var', 'put', 'nomad/jobs/varsig', 'color=red'], { env: dev.env() });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    dev.runJob(
      'varsig',
      `job "varsig" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "trap 'echo \\"usr1: $(cat local/color.txt)\\"' USR1; echo \\"start: $(cat local/color.txt)\\"; while true; do sleep 1 & wait $!; done"]
      }
      template {
        data          = "{{ with nomadVar \\"nomad/jobs/varsig\\" }}{{ .color }}{{ end }}"
        destination   = "local/color.txt"
        change_mode   = "signal"
        change_signal = "SIGUSR1"
        splay         = "0s"
      }
    }
  }
}`,
    );
    const a = await onlyAlloc(dev.api, 'varsig', (x) => x.TaskStates?.['t']?.State === 'running');
    await waitFor('first render seen by the task', async () => (await cat(a.ID, 'alloc/logs/t.stdout.0'))?.includes('start: red'));

    r = roam(['var', 'put', '-force', 'nomad/jobs/varsig', 'color=blue'], { env: dev.env() });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const log = await waitFor('SIGUSR1 handled', async () => {
      const t = await cat(a.ID, 'alloc/logs/t.stdout.0');
      return t?.includes('usr1: blue') ? t : undefined;
    });
    assert.deepEqual(log.split('\n').filter((l) => l !== ''), ['start: red', 'usr1: blue']);
    const evs = await eventsOf(a.ID, 't');
    assert.ok(evs.some((e) => e.Type === 'Signaling' && e.DisplayMessage === 'Template re-rendered'), JSON.stringify(evs));
    assert.equal((await dev.api.allocations.info(a.ID)).data.TaskStates?.['t']?.Restarts, 0);
  });
});
