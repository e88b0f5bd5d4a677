// The web UI's jobs pages in a real browser against a dev agent: the jobs list (types, search,
// keyboard navigation), a periodic job whose children appear without a reload, and dispatching a
// parameterized job from its Dispatch form.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { skipReason, startUi, type UiHarness } from './browser.js';
import { waitFor } from '../helpers/wait.js';

const PERIODIC = `job "tick" {
  type = "batch"
  periodic {
    crons            = ["*/2 * * * * * *"]
    prohibit_overlap = false
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo tick"]
      }
    }
  }
}`;

const PARAMETERIZED = `job "setup" {
  type = "batch"
  parameterized {
    meta_required = ["budget"]
    meta_optional = ["note"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo budget=\${NOMAD_META_budget}"]
      }
    }
  }
}`;

const SERVICE = `job "web" {
  priority = 70
  group "web" {
    task "server" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
    }
  }
}`;

describe('web UI: jobs', { skip: skipReason }, () => {
  let ui: UiHarness;

  before(async () => {
    ui = await startUi();
    await ui.runHcl(SERVICE);
    await ui.runHcl(PERIODIC);
    await ui.runHcl(PARAMETERIZED);
  });

  after(async () => {
    await ui?.close();
  });

  const rowsBecome = (n: number): Promise<true> => waitFor(`${n} rows in the jobs table`, async () => (await ui.page.getByTestId('jobs-table').locator('tbody tr').count()) === n || undefined, 10_000, 100);

  test('/ redirects to the jobs list, which shows every parent job with its type', async () => {
    const { page } = ui;
    await page.goto(`${ui.agent.address}/`);
    await page.waitForURL(/\/ui\/jobs$/);
    const table = page.getByTestId('jobs-table');
    await table.getByText('web', { exact: true }).waitFor();
    await table.getByText('batch/periodic').waitFor();
    await table.getByText('batch/parameterized').waitFor();
    const web = table.locator('tr', { hasText: 'web' });
    await web.getByText('service').waitFor();
    assert.equal(await web.locator('td').nth(3).innerText(), '70');
    // The service job's allocation starts running, and the list shows it without a reload.
    await web.getByText('running').waitFor();
    await ui.screenshot('jobs-list');
  });

  test('search and the type filter narrow the list, kept in the URL', async () => {
    const { page } = ui;
    await ui.open('/jobs');
    const table = page.getByTestId('jobs-table');
    await table.getByText('web', { exact: true }).waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('tic');
    await page.waitForURL(/q=tic/);
    await rowsBecome(1);
    assert.match(await table.locator('tbody tr').innerText(), /tick/);
    await page.getByPlaceholder(/Search jobs/).fill('');
    await page.getByTestId('filter-type').selectOption('batch/parameterized');
    await page.waitForURL(/type=batch%2Fparameterized/);
    await rowsBecome(1);
    assert.match(await table.locator('tbody tr').innerText(), /setup/);
    await page.getByTestId('filter-type').selectOption('service');
    await rowsBecome(1);
    // Keyboard: focus the table, Enter opens the highlighted row.
    await table.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ui\/jobs\/web@default$/);
    await page.getByTestId('group-summaries').waitFor();
  });

  test('a periodic job page shows its children growing without a reload', async () => {
    const { page } = ui;
    await ui.open('/jobs');
    await page.getByTestId('jobs-table').getByRole('link', { name: 'tick' }).click();
    await page.waitForURL(/\/ui\/jobs\/tick@default$/);
    // A marker on the window: a reload or a full navigation would lose it.
    await page.evaluate('window.roamMarker = "same page"');
    const total = page.getByTestId('children-total');
    await total.waitFor();
    const first = Number(await total.innerText());
    const grown = await waitFor('two more children', async () => {
      const n = Number(await total.innerText());
      return n >= first + 2 ? n : undefined;
    }, 20_000, 250);
    assert.ok(grown >= first + 2);
    // The children table lists them as they come, and nothing reloaded the page.
    await waitFor('children rows', async () => (await page.getByTestId('children-table').locator('tbody tr').count()) >= 2 || undefined, 10_000, 250);
    assert.match(await page.getByTestId('children-heading').innerText(), /\d+ child jobs?/);
    assert.equal(await page.evaluate('window.roamMarker'), 'same page');
    await ui.screenshot('job-periodic');
    // A child opens on its own page, under its parent.
    await page.getByTestId('children-table').locator('tbody tr').first().getByRole('link').click();
    await page.waitForURL(/\/ui\/jobs\/tick%2Fperiodic-\d+@default$/);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'tick' }).waitFor();
  });

  test('dispatching a parameterized job from the UI creates a child with the meta and payload', async () => {
    const { page } = ui;
    await ui.open('/jobs/setup@default');
    await page.getByTestId('dispatch-link').click();
    await page.waitForURL(/\/ui\/jobs\/setup@default\/dispatch$/);
    await page.getByTestId('dispatch-submit').click();
    await page.getByText('Missing required meta: budget').waitFor();
    await page.getByTestId('meta-budget').fill('200');
    await page.getByTestId('dispatch-payload').fill('hello payload');
    await ui.screenshot('job-dispatch');
    await page.getByTestId('dispatch-submit').click();
    await page.waitForURL(/\/ui\/jobs\/setup%2Fdispatch-\d+-[0-9a-f]{8}@default$/);
    const url = new URL(page.url());
    const childId = decodeURIComponent(url.pathname.split('/').pop() ?? '').replace(/@default$/, '');
    const child = (await ui.api.jobs.info(childId)).data;
    assert.equal(child.ParentID, 'setup');
    assert.equal(child.Meta?.['budget'], '200');
    assert.equal(Buffer.from(child.Payload ?? '', 'base64').toString(), 'hello payload');
    await page.getByTestId('job-facts').getByText('meta.budget').waitFor();
    // The parent counts it.
    await ui.open('/jobs/setup@default');
    await waitFor('child counted', async () => Number(await page.getByTestId('children-total').innerText()) >= 1 || undefined, 10_000, 250);
  });
});
