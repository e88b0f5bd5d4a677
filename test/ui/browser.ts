// What the web UI's browser tests share: Debian's chromium driven by playwright-core (the tests
// skip, saying so, only when chromium is not installed), the UI built by scripts/build-ui.sh, a
// dev agent with a ready raw_exec node, jobs registered from HCL, and screenshots saved under
// test-artifacts/ui/ for people to look at.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RoamApi } from '../../src/api/index.js';
import { repoRoot, startAgent, type RunningAgent } from '../helpers/roam.js';
import { waitForReadyNode } from '../helpers/wait.js';

export const CHROMIUM = process.env['ROAM_CHROMIUM'] ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export const skipReason: string | undefined = fs.existsSync(CHROMIUM) ? undefined : `chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set ROAM_CHROMIUM) to run the web UI's browser tests`;

/** The launch flags that work on these machines (root, no GPU, no network beyond the agent). */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export const artifactsDir = path.join(repoRoot, 'test-artifacts', 'ui');

/** Builds ui/dist when its sources changed (quick otherwise); a failed build fails the test with its output. */
export function buildUi(): void {
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts', 'build-ui.sh')], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`scripts/build-ui.sh failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

export interface UiHarness {
  agent: RunningAgent;
  api: RoamApi;
  browser: Browser;
  page: Page;
  /** Opens /ui<path> and waits for the app to render. */
  open(path: string): Promise<void>;
  screenshot(name: string): Promise<void>;
  /** Registers a job from HCL through the agent's parse endpoint; returns its ID. */
  runHcl(hcl: string): Promise<string>;
  close(): Promise<void>;
}

export async function startUi(): Promise<UiHarness> {
  buildUi();
  const agent = await startAgent(['-dev']);
  let browser: Browser | undefined;
  try {
    const api = new RoamApi({ address: agent.address });
    await waitForReadyNode(api);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true, timeout: 60_000 });
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(30_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    fs.mkdirSync(artifactsDir, { recursive: true });
    const b = browser;
    return {
      agent,
      api,
      browser: b,
      page,
      async open(p: string) {
        await page.goto(`${agent.address}/ui${p}`);
        await page.waitForSelector('.shell');
        if (errors.length) throw new Error(`the page threw: ${errors.join('\n')}`);
      },
      async screenshot(name: string) {
        await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
      },
      async runHcl(hcl: string) {
        const job = (await api.jobs.parse(hcl)).data;
        await api.jobs.register(job);
        return job.ID;
      },
      async close() {
        await b.close();
        await agent.stop();
      },
    };
  } catch (err) {
    await browser?.close();
    await agent.stop();
    throw err;
  }
}
