import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { nullLogger } from '../../structs/logger.js';
import { HttpServer } from '../server.js';
import { defaultUiDir, uiRoutes } from './ui.js';

async function serve(opts: Parameters<typeof uiRoutes>[0]): Promise<{ base: string; close: () => Promise<void> }> {
  const http = new HttpServer({ host: '127.0.0.1', port: 0, logger: nullLogger });
  http.addRoutes(uiRoutes(opts));
  const { port } = await http.listen();
  return { base: `http://127.0.0.1:${port}`, close: () => http.close() };
}

describe('the web UI routes', () => {
  let dir: string;
  let srv: { base: string; close: () => Promise<void> };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-ui-test-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), 'outside');
    srv = await serve({ dir });
  });

  after(async () => {
    await srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), { force: true });
  });

  test('/ redirects to /ui/', async () => {
    const res = await fetch(`${srv.base}/`, { redirect: 'manual' });
    assert.equal(res.status, 307);
    assert.equal(res.headers.get('location'), '/ui/');
  });

  test('/ui and deep links answer the app, never cached', async () => {
    for (const p of ['/ui', '/ui/', '/ui/jobs', '/ui/jobs/tick%2Fperiodic-1@default/allocations', '/ui/clients/abc?x=1']) {
      const res = await fetch(`${srv.base}${p}`);
      assert.equal(res.status, 200, p);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/, p);
      assert.equal(res.headers.get('cache-control'), 'no-cache', p);
      assert.match(await res.text(), /id="root"/, p);
    }
  });

  test('hashed assets are served with their type and cached for good; a missing one is a 404', async () => {
    const res = await fetch(`${srv.base}/ui/assets/app-abc123.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(res.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(await res.text(), 'console.log(1)');
    const head = await fetch(`${srv.base}/ui/assets/app-abc123.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '14');
    const gone = await fetch(`${srv.base}/ui/assets/app-old.js`);
    assert.equal(gone.status, 404);
    assert.match(await gone.text(), /reload the page/);
  });

  test('paths that lead out of the UI folder get the app, not the file', async () => {
    const res = await fetch(`${srv.base}/ui/..%2F${path.basename(dir)}-secret.txt`);
    assert.equal(res.status, 200);
    assert.doesNotMatch(await res.text(), /outside/);
  });

  test('writes are refused', async () => {
    const res = await fetch(`${srv.base}/ui/jobs`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 405);
  });

  test('without a build, /ui says how to make one', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-ui-empty-'));
    const s = await serve({ dir: empty });
    try {
      const res = await fetch(`${s.base}/ui/jobs`);
      assert.equal(res.status, 503);
      const text = await res.text();
      assert.match(text, /bash scripts\/build-ui\.sh/);
      assert.match(text, /ROAM_UI_DIR/);
    } finally {
      await s.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('ui { enabled = false } turns the pages off', async () => {
    const s = await serve({ dir, enabled: false });
    try {
      const res = await fetch(`${s.base}/ui/`);
      assert.equal(res.status, 404);
      assert.match(await res.text(), /disabled/);
    } finally {
      await s.close();
    }
  });

  test('the default folder is ui/dist of the repository holding the code', () => {
    const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
    assert.equal(defaultUiDir(), path.join(root, 'ui', 'dist'));
    assert.equal(defaultUiDir(path.join(root, 'dist')), path.join(root, 'ui', 'dist'));
  });
});
