// The seed's quick-start, end to end, with `roam` in place of `nomad` (examples/quickstart): a dev
// agent whose node address is docker0's (the walkthrough's -network-interface, so containers reach
// each other through the host), the four job files run unchanged from their locally built images,
// the web page found through `job allocs` + `node status -verbose`, the setup job dispatched with a
// budget, the periodic employee job launching children, then the update (cron every second, only
// sales engineers) and the cleanup with job stop -purge and system gc.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot, roam, startAgent, type RunningAgent } from '../helpers/roam.js';
import { waitFor } from '../helpers/wait.js';

const jobs = path.join(repoRoot, 'examples', 'quickstart', 'jobs');
const LABEL = 'com.hashicorp.nomad.job_id';

function containers(jobPrefix: string): string[] {
  const out = execFileSync('docker', ['ps', '-a', '--format', `{{.ID}} {{.Label "${LABEL}"}}`], { encoding: 'utf8' }).trim();
  return out
    .split('\n')
    .filter(Boolean)
    .filter((l) => (l.split(' ')[1] ?? '').startsWith(jobPrefix))
    .map((l) => l.split(' ')[0] ?? '');
}

/** PIDs of docker-logger processes (one per docker task while it runs). */
function loggerProcesses(): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('docker-logger')) out.push(Number(pid));
    } catch {
      // gone
    }
  }
  return out;
}

async function page(url: string): Promise<string> {
  const res = await fetch(url);
  return res.ok ? res.text() : '';
}

describe('the quick-start walkthrough', () => {
  let agent: RunningAgent;
  let env: NodeJS.ProcessEnv;
  let work: string;
  let web = '';
  const ok = (args: string[]): string => {
    const r = roam(args, { env, timeoutMs: 60_000 });
    assert.equal(r.code, 0, `roam ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
    return r.stdout + r.stderr;
  };
  const stat = async (key: string): Promise<number | undefined> => {
    const html = await page(`${web}/cgi-bin/stats`).catch(() => '');
    const m = new RegExp(`id="${key}">(\\d+)<`).exec(html);
    return m ? Number(m[1]) : undefined;
  };
  const employeeCards = async (): Promise<string[]> => {
    const html = await page(`${web}/cgi-bin/employees`).catch(() => '');
    return [...html.matchAll(/class="card ([a-z_]+)"/g)].map((m) => m[1] ?? '');
  };

  before(async () => {
    execFileSync('bash', [path.join(repoRoot, 'examples', 'quickstart', 'build-images.sh')], { stdio: 'ignore' });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-quickstart-'));
    // docker0 exists once dockerd runs; containers reach the host (and each other's published
    // ports) through it, and nothing leaves the machine.
    agent = await startAgent(['-dev', '-network-interface', 'docker0']);
    env = { NOMAD_ADDR: agent.address };
    await waitFor('docker healthy on the node', () => {
      const r = roam(['node', 'status', '-self', '-verbose'], { env });
      return /docker\s+true\s+true/.test(r.stdout) ? true : undefined;
    });
  });

  after(async () => {
    await agent?.stop();
    for (const id of containers('pytechco-')) spawnSync('docker', ['rm', '-f', id]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('deploy Redis and the web front end, and find the page through the node address', async () => {
    ok(['job', 'run', path.join(jobs, 'pytechco-redis.nomad.hcl')]);
    ok(['job', 'run', path.join(jobs, 'pytechco-web.nomad.hcl')]);
    // The walkthrough's pipeline: the running alloc's node → its ip-address → :5000.
    const nodeID = await waitFor('a running web allocation', () => {
      const line = roam(['job', 'allocs', 'pytechco-web'], { env }).stdout.split('\n').find((l) => /running/i.test(l));
      return line?.trim().split(/\s+/)[1];
    });
    const verbose = ok(['node', 'status', '-verbose', nodeID]);
    const ip = /ip-address\s+=\s+(\S+)/.exec(verbose)?.[1];
    assert.ok(ip, verbose);
    web = `http://${ip}:5000`;
    const index = await waitFor('the dashboard', () => page(web).catch(() => undefined), 30_000);
    assert.match(index, /PyTechCo/);
    assert.match(await page(`${web}/cgi-bin/stats`), /hasn't been seeded yet/);
    // The template found redis-svc: the web task's environment has its address.
    assert.equal(JSON.parse(await page(`${web}/cgi-bin/config`)).refresh_interval, 500);
    const services = ok(['service', 'list']);
    assert.match(services, /redis-svc/);
    assert.match(services, /ptc-web-svc/);
  });

  test('dispatch the setup job with a budget of 200', async () => {
    ok(['job', 'run', path.join(jobs, 'pytechco-setup.nomad.hcl')]);
    const dispatched = ok(['job', 'dispatch', '-meta', 'budget=200', 'pytechco-setup']);
    assert.match(dispatched, /Dispatched Job ID = pytechco-setup\/dispatch-\d+-[0-9a-f]{8}/);
    assert.match(dispatched, /Evaluation ID {5}= [0-9a-f]{8}/);
    assert.equal(await waitFor('money = 200', async () => ((await stat('money')) === 200 ? 200 : undefined), 30_000), 200);
    assert.match(ok(['job', 'status', 'pytechco-setup']), /pytechco-setup\/dispatch-\d+-[0-9a-f]{8}/);
  });

  test('the periodic employee job launches a child every 3 seconds; employees spend the budget', async () => {
    const out = ok(['job', 'run', path.join(jobs, 'pytechco-employee.nomad.hcl')]);
    assert.match(out, /cron is deprecated/);
    assert.match(out, /Approximate next launch time/);
    const children = await waitFor(
      'three children',
      () => {
        const ids = [...ok(['job', 'status', 'pytechco-employee']).matchAll(/pytechco-employee\/periodic-(\d+)/g)].map((m) => Number(m[1]));
        return ids.length >= 3 ? ids.sort() : undefined;
      },
      30_000,
    );
    assert.ok(children.slice(1).every((t, i) => (t - (children[i] ?? 0)) % 3 === 0), `launched on a 3 s grid: ${children.join(', ')}`);
    const listed = (await (await fetch(`${agent.address}/v1/jobs`)).json()) as { ID: string }[];
    assert.ok(listed.some((j) => j.ID.startsWith('pytechco-employee/periodic-')), 'children in /v1/jobs');
    await waitFor('an employee online', async () => ((await employeeCards()).length > 0 ? true : undefined), 30_000);
    await waitFor('money spent', async () => ((await stat('money')) ?? 200) < 200 || undefined, 30_000);
    ok(['job', 'stop', '-purge', 'pytechco-employee']);
  });

  test('the update: budget 500, a child every second, only sales engineers', async () => {
    ok(['job', 'dispatch', '-meta', 'budget=500', 'pytechco-setup']);
    await waitFor('money = 500', async () => ((await stat('money')) === 500 ? true : undefined), 30_000);
    const edited = fs
      .readFileSync(path.join(jobs, 'pytechco-employee.nomad.hcl'), 'utf8')
      .replace('cron             = "0/3 * * * * * *"', 'cron             = "0/1 * * * * * *"')
      .replace('// args = ["--employee-type", "sales_engineer"]', 'args = ["--employee-type", "sales_engineer"]');
    assert.match(edited, /0\/1 \* \* \* \* \* \*/);
    assert.match(edited, /^\s+args = \["--employee-type", "sales_engineer"\]/m);
    const file = path.join(work, 'pytechco-employee.nomad.hcl');
    fs.writeFileSync(file, edited);
    ok(['job', 'run', file]);
    // Employees from before the update may still finish their day; then only sales engineers
    // are online, more of them at a time than with a launch every 3 seconds.
    const cards = await waitFor(
      'only sales engineers online, at least four at once',
      async () => {
        const c = await employeeCards();
        return c.length >= 4 && c.every((t) => t === 'sales_engineer') ? c : undefined;
      },
      60_000,
      500,
    );
    assert.ok(cards.length >= 4, cards.join(','));
    assert.ok(((await stat('customer_base')) ?? 0) > 0, 'sales engineers grow the customer base');
  });

  test('clean up: job stop -purge all four, system gc', async () => {
    for (const j of ['pytechco-employee', 'pytechco-web', 'pytechco-redis', 'pytechco-setup']) ok(['job', 'stop', '-purge', j]);
    ok(['system', 'gc']);
    await waitFor('no jobs left', async () => (((await (await fetch(`${agent.address}/v1/jobs`)).json()) as unknown[]).length === 0 ? true : undefined), 30_000);
    await waitFor('no containers left', () => (containers('pytechco-').length === 0 ? true : undefined), 60_000);
    await waitFor('no service registrations left', () => (/No service registrations found/.test(ok(['service', 'list'])) ? true : undefined), 30_000);
    assert.deepEqual(loggerProcesses(), [], 'no docker logger left running');
    assert.match(ok(['status']), /No running jobs/);
  });
});
