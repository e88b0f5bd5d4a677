// The web UI's static files: `/ui` and everything under it answer from the built single-page app
// (`ui/dist`, made by scripts/build-ui.sh), deep links fall back to index.html so the app's router
// takes over, and `/` redirects to `/ui/` as Nomad's agent does. This module only serves files; it
// never builds them, and it answers a page saying how to build them when they are missing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import { MethodNotAllowedError } from '../errors.js';
import type { Route, RouteRequest } from '../route.js';

export interface UiRouteOptions {
  /** The folder holding the built UI (index.html, assets/); found from the roam bundle when unset. */
  dir?: string | undefined;
  /** Nomad's `ui { enabled = false }`: /ui answers that the UI is disabled. */
  enabled?: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The default location of the built UI: `<repo>/ui/dist`, found by walking up from this module
 * (dist/roam.mjs when bundled, src/http/routes/ui.ts when run from source) to the folder that
 * holds `ui/package.json`.
 */
export function defaultUiDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'ui', 'package.json'))) return path.join(dir, 'ui', 'dist');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(from, '..', 'ui', 'dist');
    dir = parent;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Roam</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:4rem auto;padding:0 1rem;color:#1f2430}code,pre{font:13px ui-monospace,monospace;background:#f1f3f7;padding:.1rem .3rem;border-radius:4px}pre{padding:.8rem 1rem}</style>
</head><body><h1>${title}</h1>${body}</body></html>\n`;
}

function missingPage(dir: string): string {
  return page(
    'The web UI is not built',
    `<p>This agent serves the web UI from <code>${escapeHtml(dir)}</code>, but there is no <code>index.html</code> there.</p>
<p>Build it from the repository (it installs the UI's npm dependencies the first time), then reload this page:</p>
<pre>bash scripts/build-ui.sh</pre>
<p>To serve a UI built elsewhere, start the agent with <code>ROAM_UI_DIR=/path/to/ui/dist</code>.
The HTTP API itself works without the UI: <a href="/v1/jobs">/v1/jobs</a>.</p>`,
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

function sendText(res: ServerResponse, status: number, type: string, text: string, head: boolean): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache' });
  res.end(head ? undefined : text);
}

async function sendFile(res: ServerResponse, file: string, size: number, immutable: boolean, head: boolean): Promise<void> {
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
    // Vite names assets after their content hash, so they never change; index.html always may.
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (head) {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const s = fs.createReadStream(file);
    s.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      s.destroy();
      resolve();
    });
    s.pipe(res);
  });
}

export function uiRoutes(opts: UiRouteOptions = {}): Route[] {
  const dir = path.resolve(opts.dir ?? defaultUiDir());
  const enabled = opts.enabled ?? true;

  const serve = async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowedError();
    const head = req.method === 'HEAD';
    if (!enabled) {
      sendText(res, 404, 'text/html; charset=utf-8', page('The web UI is disabled', '<p>This agent runs with <code>ui { enabled = false }</code>. Remove that setting (or set it to <code>true</code>) and restart the agent to use the web UI.</p>'), head);
      return;
    }
    const index = path.join(dir, 'index.html');
    if (!fs.existsSync(index)) {
      sendText(res, 503, 'text/html; charset=utf-8', missingPage(dir), head);
      return;
    }
    let rel = '';
    try {
      rel = decodeURIComponent((req.url.split('?')[0] ?? '').replace(/^\/ui\/?/, ''));
    } catch {
      rel = '';
    }
    const file = path.resolve(dir, rel);
    // Only files inside the UI folder; anything else (and every deep link) is the app's index.
    if (rel !== '' && file.startsWith(dir + path.sep)) {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (st?.isFile()) {
        await sendFile(res, file, st.size, rel.startsWith('assets/'), head);
        return;
      }
      // A missing hashed asset is a stale page, not a route: index.html would be parsed as JS.
      if (rel.startsWith('assets/')) {
        sendText(res, 404, 'text/plain; charset=utf-8', `no such UI asset: ${rel} (the UI was rebuilt; reload the page)`, head);
        return;
      }
    }
    const st = fs.statSync(index);
    await sendFile(res, index, st.size, false, head);
  };

  return [
    {
      methods: ['GET'],
      path: '/',
      handler: async () => ({ body: '', status: 307, headers: { Location: '/ui/', 'Content-Type': 'text/plain; charset=utf-8' } }),
    },
    { methods: ['GET', 'HEAD'], path: '/ui', stream: (req, { res }) => serve(req, res) },
    { methods: ['GET', 'HEAD'], path: '/ui/*', stream: (req, { res }) => serve(req, res) },
  ];
}
