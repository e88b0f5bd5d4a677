// The web UI's Run job page in a real browser: a job typed into the editor is planned first (diff
// and placement outcome shown, nothing registered), then run; a change is planned as a diff; a job
// that cannot be placed has its placement failures explained; a parse error names the line. The
// HCL (with its variables) is sent as the job's submission: the Definition tab shows it coloured
// and "Edit and plan" opens it again; a job registered as JSON shows JSON.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '../../src/api/index.js';
import { skipReason, startUi, type UiHarness } from './browser.js';
import { waitFor } from '../helpers/wait.js';

const hello = (count: number): string => `job "hello" {
  type = "service"
  group "g" {
    count = ${count}
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
    }
  }
}`;

const GREET = `variable "word" {
  type = string
}

job "greet" {
  type = "batch"
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/echo"
        args    = [var.word]
      }
    }
  }
}
`;

describe('web UI: run job', { skip: skipReason }, () => {
  let ui: UiHarness;

  before(async () => {
    ui = await startUi();
  });

  after(async () => {
    await ui?.close();
  });

  async function exists(id: string): Promise<boolean> {
    try {
      await ui.api.jobs.info(id);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return false;
      throw err;
    }
  }

  test('a new job is planned first, then run from the plan', async () => {
    const { page } = ui;
    await ui.open('/jobs');
    await page.getByTestId('run-job').click();
    await page.waitForURL(/\/ui\/jobs\/run$/);
    await page.getByTestId('job-editor').fill(hello(1));
    await page.getByTestId('plan-job').click();
    const result = page.getByTestId('plan-result');
    await result.waitFor();
    assert.match(await page.getByTestId('plan-outcome').innerText(), /Task group “g”: 1 create/);
    assert.match(await page.getByTestId('plan-diff').innerText(), /\+ Job: “hello”/);
    assert.match(await result.innerText(), /All tasks successfully allocated/);
    assert.equal(await exists('hello'), false, 'planning must not register the job');
    await ui.screenshot('run-plan');
    await page.getByTestId('run-planned').click();
    await page.waitForURL(/\/ui\/jobs\/hello@default$/);
    assert.equal(await exists('hello'), true);
    await page.getByTestId('allocations-table').getByText('running').waitFor();
  });

  test('the HCL and its variables are kept: the Definition tab shows them and Edit and plan reopens them', async () => {
    const { page } = ui;
    await ui.open('/jobs/run');
    await page.getByTestId('job-editor').fill(GREET);
    await page.locator('.run-vars > summary').click();
    await page.getByTestId('job-variables').fill('word = "bonjour"\n');
    await page.getByTestId('plan-job').click();
    await page.getByTestId('plan-result').waitFor();
    await page.getByTestId('run-planned').click();
    await page.waitForURL(/\/ui\/jobs\/greet@default$/);
    const sub = (await ui.api.jobs.submission('greet', 0)).data;
    assert.deepEqual([sub.Source, sub.Format, sub.Variables], [GREET, 'hcl2', 'word = "bonjour"\n']);
    assert.deepEqual((await ui.api.jobs.info('greet')).data.TaskGroups?.[0]?.Tasks?.[0]?.Config?.['args'], ['bonjour']);

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Definition' }).click();
    const def = page.getByTestId('job-definition');
    await def.waitFor();
    assert.equal(await def.textContent(), GREET);
    // Coloured as the editor colours it: block and attribute names, strings.
    assert.ok((await def.locator('.h-key').allTextContents()).includes('variable'));
    assert.ok((await def.locator('.h-str').allTextContents()).includes('"raw_exec"'));
    assert.equal(await page.getByTestId('job-definition-vars').textContent(), 'word = "bonjour"\n');
    await ui.screenshot('job-definition');
    await page.getByTestId('definition-json').click();
    assert.match((await def.textContent()) ?? '', /"ID": "greet"/);
    await page.getByTestId('definition-hcl').click();
    await page.getByTestId('edit-and-plan').click();
    await page.waitForURL(/\/ui\/jobs\/run$/);
    assert.equal(await page.getByTestId('job-editor').inputValue(), GREET);
    assert.equal(await page.getByTestId('job-variables').inputValue(), 'word = "bonjour"\n');
    await page.getByTestId('plan-job').click();
    await page.getByTestId('plan-result').waitFor();
    assert.match(await page.getByTestId('plan-result').innerText(), /All tasks successfully allocated/);

    // A job registered as API JSON has no file: its definition is the job as JSON.
    await ui.runHcl(GREET.replace('"greet"', '"greet-api"').replace(/variable "word" \{[^}]*\}/, '').replace('var.word', '"hi"'));
    await ui.open('/jobs/greet-api@default/definition');
    await page.getByRole('heading', { name: 'Definition (JSON)' }).waitFor();
    assert.match((await page.getByTestId('job-definition').textContent()) ?? '', /"ID": "greet-api"/);
  });

  test('a change to a running job is planned as a diff', async () => {
    const { page } = ui;
    await ui.open('/jobs/run');
    await page.getByTestId('job-editor').fill(hello(2));
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('plan-result').waitFor();
    const diff = await page.getByTestId('plan-diff').innerText();
    assert.match(diff, /~ Job: “hello”/);
    assert.match(diff, /Count: "1" => "2"/);
    assert.match(await page.getByTestId('plan-outcome').innerText(), /1 create, 1 in-place update/);
    // Editing the text drops the plan: only what was planned can be run.
    await page.getByTestId('job-editor').fill(hello(3));
    await page.getByTestId('plan-result').waitFor({ state: 'detached' });
  });

  test('versions show their diffs and revert; stop and start from the job page', async () => {
    const { page } = ui;
    await ui.runHcl(hello(2));
    await ui.open('/jobs/hello@default/versions');
    const versions = page.getByTestId('job-versions');
    await versions.getByText('Version #1').waitFor();
    assert.match(await versions.innerText(), /Count: "1" => "2"/);
    await versions.getByRole('button', { name: 'Revert to this version' }).click();
    await versions.getByRole('button', { name: 'Yes, revert to #0' }).click();
    await waitFor('reverted', async () => {
      const j = (await ui.api.jobs.info('hello')).data;
      return j.Version === 2 && j.TaskGroups?.[0]?.Count === 1 ? true : undefined;
    }, 10_000);
    await versions.getByText('Version #2').waitFor();
    await ui.open('/jobs/hello@default');
    await page.getByTestId('stop-job').click();
    await page.getByTestId('stop-job-confirm').click();
    await page.getByTestId('start-job').waitFor();
    assert.equal((await ui.api.jobs.info('hello')).data.Stop, true);
    await page.getByTestId('start-job').click();
    await page.getByTestId('stop-job').waitFor();
    assert.equal((await ui.api.jobs.info('hello')).data.Stop, false);
  });

  test('placement failures are explained, and a parse error names its line', async () => {
    const { page } = ui;
    await ui.open('/jobs/run');
    await page.getByTestId('job-editor').fill(`job "nowhere" {
  group "g" {
    constraint {
      attribute = "\${attr.kernel.name}"
      value     = "plan9"
    }
    task "t" {
      driver = "raw_exec"
      config { command = "/bin/true" }
    }
  }
}`);
    await page.getByTestId('plan-job').click();
    const failures = page.getByTestId('plan-failures');
    await failures.waitFor();
    assert.match(await failures.innerText(), /Constraint "\$\{attr.kernel.name\} = plan9": 1 nodes excluded by filter/);
    await page.getByTestId('job-editor').fill('job "broken" {\n  group "g" {\n    count = \n  }\n}\n');
    await page.getByTestId('plan-job').click();
    await waitFor('error', async () => (await page.getByRole('alert').count()) > 0 || undefined, 10_000);
    assert.match(await page.getByRole('alert').innerText(), /input\.hcl:\d+,\d+/);
  });
});
