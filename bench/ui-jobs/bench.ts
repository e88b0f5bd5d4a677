// The web UI's budgets: the Jobs page with 1,000 jobs rendered in ≤ 1 s, and ≤ 400 KB of
// gzipped JavaScript. A dev agent gets 1,000 jobs (service, batch, periodic, parameterized; the
// service and batch ones constrained away from the node so nothing runs and the machine stays
// quiet), then Debian's chromium (playwright-core) measures, median of RUNS:
//   cold load  — navigation start → the first table row on screen (fetch, parse, render);
//   in-app     — click "Jobs" from another page → rows on screen;
//   search     — typing one character in the search box → the filtered rows on screen;
// and counts the requests an idle Jobs page makes in 10 s (one pending long-poll, no storm).
// Run: npm run build && node --import tsx bench/ui-jobs/bench.ts [jobs=1000]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { RoamApi } from '../../src/api/index.js';
import { repoRoot, startAgent } from '../../test/helpers/roam.js';
import { waitForReadyNode } from '../../test/helpers/wait.js';
import { buildUi, CHROMIUM, skipReason } from '../../test/ui/browser.js';

const JOBS = Number(process.argv[2] ?? 1000);
const RUNS = 5;
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function jsSizes(): { entry: number; all: number; files: { name: string; raw: number; gz: number }[] } {
  const dir = path.join(repoRoot, 'ui', 'dist', 'assets');
  const html = fs.readFileSync(path.join(repoRoot, 'ui', 'dist', 'index.html'), 'utf8');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((name) => {
      const buf = fs.readFileSync(path.join(dir, name));
      return { name, raw: buf.length, gz: zlib.gzipSync(buf, { level: 9 }).length };
    });
  const entry = files.filter((f) => html.includes(f.name)).reduce((n, f) => n + f.gz, 0);
  return { entry, all: files.reduce((n, f) => n + f.gz, 0), files };
}

const HCL: Record<string, string> = {
  service: `job "svc" {
  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "plan9"
  }
  group "web" {
    count = 3
    task "server" {
      driver = "raw_exec"
      config { command = "/bin/sleep" }
    }
  }
}`,
  batch: `job "bat" {
  type = "batch"
  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "plan9"
  }
  group "work" {
    task "t" {
      driver = "raw_exec"
      config { command = "/bin/true" }
    }
  }
}`,
  periodic: `job "cron" {
  type = "batch"
  periodic {
    crons = ["0 0 1 1 *"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config { command = "/bin/true" }
    }
  }
}`,
  parameterized: `job "param" {
  type = "batch"
  parameterized {
    meta_required = ["budget"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config { command = "/bin/true" }
    }
  }
}`,
};

async function main(): Promise<void> {
  if (skipReason) throw new Error(skipReason);
  buildUi();
  const sizes = jsSizes();
  const agent = await startAgent(['-dev']);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  try {
    const api = new RoamApi({ address: agent.address });
    await waitForReadyNode(api);
    const templates: Record<string, Record<string, unknown>> = {};
    for (const [kind, hcl] of Object.entries(HCL)) templates[kind] = (await api.jobs.parse(hcl)).data as unknown as Record<string, unknown>;
    const kinds = ['service', 'service', 'service', 'service', 'service', 'service', 'batch', 'batch', 'periodic', 'parameterized'];
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < JOBS; i = next++) {
          const kind = kinds[i % kinds.length] ?? 'service';
          const id = `${kind}-${String(i).padStart(4, '0')}`;
          await api.jobs.register({ ...templates[kind], ID: id, Name: id, Priority: 10 + (i % 90) });
        }
      }),
    );
    console.log(`registered ${JOBS} jobs in ${Date.now() - t0} ms`);

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const rowsShown = `document.querySelectorAll('[data-testid=jobs-table] tbody tr').length > 0 && document.querySelector('.toolbar-count')?.textContent?.includes('${JOBS} jobs')`;
    const cold: number[] = [];
    const inApp: number[] = [];
    const search: number[] = [];
    for (let r = 0; r < RUNS + 1; r++) {
      await page.goto(`${agent.address}/ui/jobs`);
      await page.waitForFunction(rowsShown, undefined, { polling: 'raf', timeout: 30_000 });
      // navigation start → first frame with the rows (the page's own clock)
      const ms = (await page.evaluate('performance.now()')) as number;
      if (r > 0) cold.push(ms); // the first load warms chromium's caches

      await page.getByRole('link', { name: 'Servers' }).click();
      await page.getByTestId('servers-table').waitFor();
      const start = (await page.evaluate('performance.now()')) as number;
      await page.getByRole('link', { name: 'Jobs', exact: true }).click();
      await page.waitForFunction(rowsShown, undefined, { polling: 'raf' });
      if (r > 0) inApp.push(((await page.evaluate('performance.now()')) as number) - start);

      const input = page.getByPlaceholder(/Search jobs/);
      await input.focus();
      const s0 = (await page.evaluate('performance.now()')) as number;
      await page.keyboard.type('7');
      await page.waitForFunction(`document.querySelector('.toolbar-count')?.textContent?.startsWith('${Array.from({ length: JOBS }, (_, i) => i).filter((i) => String(i).padStart(4, '0').includes('7')).length} of')`, undefined, { polling: 'raf' });
      if (r > 0) search.push(((await page.evaluate('performance.now()')) as number) - s0);
      await input.fill('');
    }

    // An idle page: how many requests in 10 s (long-polls answered because state changed, plus the one pending).
    await page.goto(`${agent.address}/ui/jobs`);
    await page.waitForFunction(rowsShown, undefined, { polling: 'raf' });
    let requests = 0;
    page.on('request', (req) => {
      if (req.url().includes('/v1/')) requests++;
    });
    await new Promise((r) => setTimeout(r, 10_000));

    const fmt = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
    console.log('');
    console.log(`JavaScript shipped (gzip -9): entry ${fmt(sizes.entry)}, all chunks ${fmt(sizes.all)} (budget 400 KB)`);
    for (const f of sizes.files) console.log(`  ${f.name}: ${fmt(f.raw)} raw, ${fmt(f.gz)} gzipped`);
    console.log(`Jobs page with ${JOBS} jobs, median of ${RUNS} (ms): cold load ${median(cold).toFixed(0)} [${cold.map((x) => x.toFixed(0)).join(', ')}], in-app ${median(inApp).toFixed(0)} [${inApp.map((x) => x.toFixed(0)).join(', ')}], search keystroke ${median(search).toFixed(0)} [${search.map((x) => x.toFixed(0)).join(', ')}] (budget 1000)`);
    console.log(`Idle Jobs page: ${requests} API requests in 10 s`);
  } finally {
    await browser.close();
    await agent.stop();
  }
}

await main();
