import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { nomadCheckID } from '../../structs/checks.js';
import { mockServiceCheck as mockCheck } from '../../structs/mock.js';
import { checkAddress, Checker, checkQuery, OUTPUT_SIZE_LIMIT, pendingResult, type QueryContext } from './checker.js';

const ctx = (port: number, over: Partial<QueryContext> = {}): QueryContext => ({
  id: 'cid',
  customAddress: '',
  servicePortLabel: 'http',
  ports: [{ Label: 'http', Value: port, To: 0, HostIP: '127.0.0.1' }],
  networks: [],
  group: 'web.g[0]',
  task: 'server',
  service: 'web',
  check: 'alive',
  ...over,
});

const NOW = 1_700_000_000_123;
const checker = new Checker({ now: () => NOW });

describe('http checks against a loopback server', () => {
  let server: http.Server;
  let port = 0;
  let seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const path = (req.url ?? '').split('?')[0];
        if (path === '/health') return void res.writeHead(200).end('fine, thanks');
        if (path === '/created') return void res.writeHead(204).end();
        if (path === '/moved') return void res.writeHead(302, { Location: '/health' }).end();
        if (path === '/loop') return void res.writeHead(302, { Location: '/loop' }).end();
        if (path === '/big') return void res.writeHead(503).end('x'.repeat(OUTPUT_SIZE_LIMIT * 3));
        if (path === '/slow') return void setTimeout(() => res.writeHead(200).end(), 2_000);
        res.writeHead(404).end('no such page');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test('200 is success with Nomad\'s output; the result carries the check coordinates', async () => {
    seen = [];
    const r = await checker.run(ctx(port), checkQuery(mockCheck()));
    assert.deepEqual(r, { ID: 'cid', Mode: 'healthiness', Status: 'success', StatusCode: 200, Output: 'nomad: http ok', Timestamp: Math.floor(NOW / 1000), Group: 'web.g[0]', Task: 'server', Service: 'web', Check: 'alive' });
    assert.deepEqual(Object.keys(r), ['ID', 'Mode', 'Status', 'StatusCode', 'Output', 'Timestamp', 'Group', 'Task', 'Service', 'Check']);
    assert.equal(seen[0]?.method, 'GET');
    assert.equal(seen[0]?.url, '/health');
    assert.match(seen[0]?.headers['user-agent'] ?? '', /^Roam\//);
  });

  test('other statuses below 400 succeed with the body as output; 4xx and 5xx fail', async () => {
    const created = await checker.run(ctx(port), checkQuery(mockCheck({ Path: '/created' })));
    assert.equal(created.Status, 'success');
    assert.equal(created.StatusCode, 204);
    assert.equal(created.Output, '');
    const missing = await checker.run(ctx(port), checkQuery(mockCheck({ Path: '/gone' })));
    assert.equal(missing.Status, 'failure');
    assert.equal(missing.StatusCode, 404);
    assert.equal(missing.Output, 'no such page');
    const big = await checker.run(ctx(port), checkQuery(mockCheck({ Path: '/big' })));
    assert.equal(big.Status, 'failure');
    assert.equal(big.StatusCode, 503);
    assert.equal(big.Output.length, OUTPUT_SIZE_LIMIT);
  });

  test('redirects are followed as Go does, at most 10', async () => {
    const moved = await checker.run(ctx(port), checkQuery(mockCheck({ Path: '/moved' })));
    assert.equal(moved.Status, 'success');
    assert.equal(moved.StatusCode, 200);
    const loop = await checker.run(ctx(port), checkQuery(mockCheck({ Path: '/loop' })));
    assert.equal(loop.Status, 'failure');
    assert.equal(loop.Output, `nomad: Get "http://127.0.0.1:${port}/loop": stopped after 10 redirects`);
  });

  test('method, headers, body and query string are sent; a Host header overrides the host', async () => {
    seen = [];
    const r = await checker.run(ctx(port), checkQuery(mockCheck({ Path: '/health?verbose=1', Method: 'POST', Header: { 'X-Probe': ['a', 'b'], Host: ['svc.example'], 'User-Agent': ['probe/1'] }, Body: '{"ping":true}' })));
    assert.equal(r.Status, 'success');
    const req = seen[0];
    assert.equal(req?.method, 'POST');
    assert.equal(req?.url, '/health?verbose=1');
    assert.equal(req?.headers['x-probe'], 'a, b');
    assert.equal(req?.headers.host, 'svc.example');
    assert.equal(req?.headers['user-agent'], 'probe/1');
    assert.equal(req?.body, '{"ping":true}');
  });

  test('a server slower than the timeout fails with context deadline exceeded', async () => {
    const started = Date.now();
    const r = await checker.run(ctx(port), checkQuery(mockCheck({ Path: '/slow', Timeout: 200e6 })));
    assert.ok(Date.now() - started < 1_500, 'the timeout cut the request short');
    assert.equal(r.Status, 'failure');
    assert.equal(r.StatusCode, undefined);
    assert.equal(r.Output, `nomad: Get "http://127.0.0.1:${port}/slow": context deadline exceeded`);
  });

  test('a port nobody listens on fails with the dial error', async () => {
    const closed = await freeClosedPort();
    const r = await checker.run(ctx(closed), checkQuery(mockCheck()));
    assert.equal(r.Status, 'failure');
    assert.equal(r.Output, `nomad: Get "http://127.0.0.1:${closed}/health": dial tcp 127.0.0.1:${closed}: connect: connection refused`);
  });
});

// A self-signed certificate for 127.0.0.1 (100 years; generated once with openssl).
const TLS_KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgL6zYmbJ7cp+ZI5eu\nUekjcoH9T0WSNaZVyvTPUI6UaxyhRANCAARu9RCC1mmuyqlchMu0AV7TUshUAF9p\nkecKBp1YivPJnQrPExbwIMBCfQJt0Vmr9t3b9mQ2P9KDyL4TGGiMUbyY\n-----END PRIVATE KEY-----\n';
const TLS_CERT = '-----BEGIN CERTIFICATE-----\nMIIBkTCCATagAwIBAgIUT9LlIl8yHYbiUW66wyv0j9IHgrkwCgYIKoZIzj0EAwIw\nFDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjE2MTI0MVoYDzIxMjYxMTAy\nMTYxMjQxWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\nPQMBBwNCAARu9RCC1mmuyqlchMu0AV7TUshUAF9pkecKBp1YivPJnQrPExbwIMBC\nfQJt0Vmr9t3b9mQ2P9KDyL4TGGiMUbyYo2QwYjAdBgNVHQ4EFgQU7+CEYBoDau3h\n5JVUF+mRhBqigrQwHwYDVR0jBBgwFoAU7+CEYBoDau3h5JVUF+mRhBqigrQwDwYD\nVR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC\nIQC2BGFUBFtYfeIkCKEiaSh/gj+3r5jt9hJwcNecTdY2twIhALTZkZi5PmqoWGFN\nwITwBM5rxUNyz4EU+MGzqwwKDvua\n-----END CERTIFICATE-----\n';

test('https checks verify the certificate unless tls_skip_verify', async () => {
  const server = https.createServer({ key: TLS_KEY, cert: TLS_CERT }, (_req, res) => res.writeHead(200).end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const strict = await checker.run(ctx(port), checkQuery(mockCheck({ Protocol: 'https' })));
    assert.equal(strict.Status, 'failure');
    assert.match(strict.Output, new RegExp(`^nomad: Get "https://127\\.0\\.0\\.1:${port}/health": .*certificate`));
    const skip = await checker.run(ctx(port), checkQuery(mockCheck({ Protocol: 'https', TLSSkipVerify: true })));
    assert.equal(skip.Status, 'success');
    assert.equal(skip.Output, 'nomad: http ok');
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function freeClosedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('tcp checks', () => {
  test('a listening port succeeds, a closed one fails', async () => {
    const srv = net.createServer((s) => s.end());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const ok = await checker.run(ctx(port), checkQuery(mockCheck({ Type: 'tcp', Path: '' })));
      assert.deepEqual(ok, { ID: 'cid', Mode: 'healthiness', Status: 'success', Output: 'nomad: tcp ok', Timestamp: Math.floor(NOW / 1000), Group: 'web.g[0]', Task: 'server', Service: 'web', Check: 'alive' });
    } finally {
      await new Promise((r) => srv.close(r));
    }
    const bad = await checker.run(ctx(port), checkQuery(mockCheck({ Type: 'tcp', Path: '' })));
    assert.equal(bad.Status, 'failure');
    assert.equal(bad.Output, `dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });

  test('a check without a resolvable port fails with Nomad\'s message', async () => {
    const r = await checker.run(ctx(1, { servicePortLabel: 'db' }), checkQuery(mockCheck({ Type: 'tcp', Path: '' })));
    assert.equal(r.Status, 'failure');
    assert.equal(r.Output, 'invalid port "db": port label not found');
  });
});

describe('check addresses (Nomad GetAddress)', () => {
  const q = checkQuery(mockCheck());
  test('host mode uses the mapped HostIP and host port of the label, the check\'s label first', () => {
    const qc = ctx(25000, { ports: [{ Label: 'http', Value: 25000, To: 8080, HostIP: '10.0.0.2' }, { Label: 'admin', Value: 25001, To: 0, HostIP: '10.0.0.2' }] });
    assert.deepEqual(checkAddress(qc, q), { host: '10.0.0.2', port: 25000 });
    assert.deepEqual(checkAddress(qc, checkQuery(mockCheck({ PortLabel: 'admin' }))), { host: '10.0.0.2', port: 25001 });
    assert.deepEqual(checkAddress(ctx(1, { servicePortLabel: '8500' }), q), { host: '', port: 8500 });
  });
  test('a service address makes the check use it with the mapped port (auto)', () => {
    assert.deepEqual(checkAddress(ctx(25000, { customAddress: 'svc.example' }), q), { host: 'svc.example', port: 25000 });
    assert.throws(() => checkAddress(ctx(25000, { customAddress: 'svc.example' }), checkQuery(mockCheck({ AddressMode: 'host' }))), /cannot use custom advertise address with "host" address mode/);
  });
  test('alloc mode needs a network namespace Roam does not create', () => {
    assert.throws(() => checkAddress(ctx(25000), checkQuery(mockCheck({ AddressMode: 'alloc' }))), /no allocation network status reported/);
  });
  test('https is the protocol only when asked; http checks default to http', () => {
    assert.equal(checkQuery(mockCheck()).protocol, 'http');
    assert.equal(checkQuery(mockCheck({ Protocol: 'https' })).protocol, 'https');
    assert.equal(checkQuery(mockCheck({ Type: 'tcp' })).protocol, '');
    assert.equal(checkQuery(mockCheck({ OnUpdate: 'ignore' })).mode, 'readiness');
  });
});

test('check IDs are Nomad\'s (sha256 computed by Go over the same fields)', () => {
  const id = nomadCheckID('2c9f2c3c-9a0e-4d5e-8f1a-0b1c2d3e4f50', 'web', mockCheck({ PortLabel: 'http', Method: 'GET' }));
  assert.equal(id, '90241bf3d4119e30d4764114a7998a2fff76d85e57ac447281f68ad770659196');
});

test('a pending stub says it has not run yet; group services have no Task', () => {
  const r = pendingResult('cid', 'healthiness', 5, 'web.g[0]', '', 'web', 'alive');
  assert.equal(JSON.stringify(r), '{"ID":"cid","Mode":"healthiness","Status":"pending","Output":"nomad: waiting to run","Timestamp":5,"Group":"web.g[0]","Service":"web","Check":"alive"}');
});
