// The foundation, end to end: a dev agent from the real binary answers the agent/status routes,
// the CLI reaches it through -address and NOMAD_ADDR, and Ctrl-C (SIGINT) stops it cleanly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { roam, startAgent, type RunningAgent } from '../helpers/roam.js';

let agent: RunningAgent;

before(async () => {
  agent = await startAgent(['-dev']);
});

after(async () => {
  await agent?.stop();
});

test('agent/self describes a dev agent running both roles', async () => {
  const res = await fetch(`${agent.address}/v1/agent/self`);
  assert.equal(res.status, 200);
  const self = (await res.json()) as { config: Record<string, unknown>; member: { Name: string; Status: string }; stats: Record<string, unknown> };
  assert.equal(self.config['DevMode'], true);
  assert.deepEqual(self.config['Server'], { Enabled: true, BootstrapExpect: 1, NumSchedulers: 0 });
  assert.equal(self.member.Status, 'alive');
  assert.ok(self.stats['nomad']);
  assert.ok(self.stats['client']);
});

test('status, regions and health answer in Nomad shapes', async () => {
  const leader = await fetch(`${agent.address}/v1/status/leader`);
  assert.equal(await leader.json(), `127.0.0.1:${agent.port}`);
  assert.equal(leader.headers.get('x-nomad-knownleader'), 'true');
  assert.deepEqual(await (await fetch(`${agent.address}/v1/status/peers`)).json(), [`127.0.0.1:${agent.port}`]);
  assert.deepEqual(await (await fetch(`${agent.address}/v1/regions`)).json(), ['global']);
  assert.deepEqual(await (await fetch(`${agent.address}/v1/agent/health`)).json(), { server: { ok: true, message: 'ok' }, client: { ok: true, message: 'ok' } });
});

test('wrong method and unknown routes get 405 and 404 with a plain-text reason', async () => {
  const r405 = await fetch(`${agent.address}/v1/agent/self`, { method: 'DELETE' });
  assert.equal(r405.status, 405);
  assert.equal(await r405.text(), 'Invalid method');
  const r404 = await fetch(`${agent.address}/v1/no/such/route`);
  assert.equal(r404.status, 404);
  assert.match(await r404.text(), /no route for GET \/v1\/no\/such\/route/);
});

test('roam version, agent-info and status work against the agent', () => {
  const v = roam(['version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^Roam v\d+\.\d+\.\d+/);
  const info = roam(['agent-info', '-address', agent.address]);
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /^client\n/m);
  assert.match(info.stdout, /^nomad\n {2}bootstrap = true/m);
  const status = roam(['status'], { env: { NOMAD_ADDR: agent.address } });
  assert.equal(status.code, 0, status.stderr);
  assert.equal(status.stdout, 'No running jobs\n');
});

test('the CLI explains an unreachable agent and unknown commands', () => {
  const r = roam(['status', '-address', 'http://127.0.0.1:1']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot reach the Roam agent at http:\/\/127\.0\.0\.1:1/);
  const u = roam(['frobnicate']);
  assert.equal(u.code, 1);
  assert.match(u.stderr, /Unknown command: "frobnicate"/);
  const f = roam(['status', '-nope']);
  assert.equal(f.code, 1);
  assert.match(f.stderr, /flag provided but not defined: -nope/);
});

test('help is printed for roam, roam agent -h and roam status -h', () => {
  const top = roam([]);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Usage: roam \[-version\] \[-help\] <command> \[args\]/);
  assert.match(top.stdout, /agent +Runs a Roam agent/);
  assert.match(roam(['agent', '-h']).stdout, /Usage: roam agent \[options\]/);
  assert.match(roam(['status', '-h']).stdout, /Usage: roam status \[options\] <identifier>[\s\S]*-address=<addr>/);
});

test('a second agent on the same port fails with a clear error', () => {
  const r = roam(['agent', '-dev', '-config', `${agent.dir}/ports.json`], { timeoutMs: 20_000 });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Error starting agent: .*(EADDRINUSE|address already in use)/);
});

test('agent flag and config errors are reported without starting', () => {
  const r = roam(['agent']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Must specify either server, client or dev mode/);
  const r2 = roam(['agent', '-dev', '-log-level', 'loud']);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /invalid value "loud" for flag -log-level/);
});

test('SIGINT stops the agent cleanly with exit code 0', async () => {
  const a = await startAgent(['-dev']);
  const code = await a.stop('SIGINT');
  assert.equal(code, 0);
  assert.match(a.output(), /==> Roam agent started! Log data will stream in below:/);
  assert.match(a.output(), /==> Caught signal: interrupt/);
  assert.match(a.output(), /\[INFO\]  agent: shutdown complete/);
});
