// The web UI's allocation pages in a real browser: from a job to its allocation, the task's logs
// streaming (stdout and stderr, new lines arriving without a reload), the exec terminal running a
// command typed into it, and the file browser (directories, a text file, its raw download, deep
// links, a task's secrets refused).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { skipReason, startUi, type UiHarness } from './browser.js';
import { onlyAlloc, waitFor } from '../helpers/wait.js';

const CHATTY = `job "chatty" {
  group "g" {
    task "talker" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "i=0; while true; do echo \\"out line $i\\"; echo \\"err line $i\\" >&2; i=$((i+1)); sleep 0.5; done"]
      }
    }
  }
}`;

describe('web UI: allocations', { skip: skipReason }, () => {
  let ui: UiHarness;
  let allocId = '';

  before(async () => {
    ui = await startUi();
    await ui.runHcl(CHATTY);
    allocId = (await onlyAlloc(ui.api, 'chatty', (a) => a.TaskStates?.['talker']?.State === 'running')).ID;
  });

  after(async () => {
    await ui?.close();
  });

  test('a job links to its allocation, which shows its task running', async () => {
    const { page } = ui;
    await ui.open('/jobs/chatty@default/allocations');
    await page.getByTestId('allocations-table').getByRole('link', { name: allocId.slice(0, 8) }).click();
    await page.waitForURL(new RegExp(`/ui/allocations/${allocId}$`));
    const tasks = page.getByTestId('tasks-table');
    await tasks.getByText('talker').waitFor();
    await tasks.getByText('running').waitFor();
    assert.match(await page.getByTestId('alloc-facts').innerText(), new RegExp(allocId));
    await page.getByTestId('alloc-charts').waitFor();
    await ui.screenshot('allocation');
  });

  test('logs stream stdout as it is written, and stderr on demand', async () => {
    const { page } = ui;
    await ui.open(`/allocations/${allocId}/talker/logs`);
    const logs = page.getByTestId('logs');
    await logs.getByText(/out line \d+/).first().waitFor();
    const count = async (): Promise<number> => ((await logs.innerText()).match(/out line \d+/g) ?? []).length;
    const before = await count();
    await waitFor('new log lines without a reload', async () => (await count()) >= before + 3 || undefined, 15_000, 200);
    assert.doesNotMatch(await logs.innerText(), /err line/);
    await ui.screenshot('task-logs');
    await page.getByTestId('logs-stderr').click();
    await logs.getByText(/err line \d+/).first().waitFor();
    assert.doesNotMatch(await logs.innerText(), /out line/);
  });

  test('the file browser walks the allocation directory, shows a text file and links its raw bytes', async () => {
    const { page } = ui;
    await ui.open(`/allocations/${allocId}`);
    await page.getByTestId('alloc-files').click();
    await page.waitForURL(new RegExp(`/ui/allocations/${allocId}/fs$`));
    const table = page.getByTestId('fs-table');
    await table.getByRole('link', { name: 'talker/' }).waitFor();
    await table.getByRole('link', { name: 'alloc/' }).click();
    await page.waitForURL(new RegExp(`/ui/allocations/${allocId}/fs/alloc$`));
    await table.getByRole('link', { name: 'logs/' }).click();
    await page.waitForURL(/\/fs\/alloc\/logs$/);
    await table.getByRole('link', { name: 'talker.stdout.0' }).click();
    await page.waitForURL(/\/fs\/alloc\/logs\/talker\.stdout\.0$/);
    await page.getByTestId('fs-content').getByText(/out line 0/).waitFor();
    await ui.screenshot('alloc-files');
    // The path bar links back up; the download link serves the raw file.
    assert.match(await page.getByTestId('fs-path').innerText(), /alloc\s*\/\s*logs\s*\/\s*talker\.stdout\.0/);
    const href = await page.getByTestId('fs-download').getAttribute('href');
    assert.ok(href, 'a download link');
    const raw = await (await fetch(`${ui.agent.address}${href}`)).text();
    assert.match(raw, /^out line 0\nout line 1\n/);
    await page.getByTestId('fs-path').getByRole('link', { name: 'alloc' }).click();
    await page.waitForURL(new RegExp(`/ui/allocations/${allocId}/fs/alloc$`));
    // Deep links open directly; a task's secrets are refused, as the API refuses them.
    await ui.open(`/allocations/${allocId}/fs/talker/secrets`);
    await page.getByText('Not allowed to read /talker/secrets').waitFor();
    await ui.open(`/allocations/${allocId}/fs/alloc/nothing-here`);
    await page.getByText('No file at /alloc/nothing-here').waitFor();
    await page.getByRole('link', { name: '← Up to /alloc' }).click();
    await page.getByTestId('fs-table').getByRole('link', { name: 'logs/' }).waitFor();
  });

  test('the exec terminal runs a typed command and shows its output', async () => {
    const { page } = ui;
    await ui.open(`/allocations/${allocId}/talker/exec`);
    await page.getByTestId('terminal').locator('.xterm-rows').waitFor();
    await page.getByTestId('exec-connect').click();
    await page.getByTestId('exec-state').getByText('open').waitFor();
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo roam-$((6*7)) in $NOMAD_TASK_NAME\n');
    const rows = page.getByTestId('terminal').locator('.xterm-rows');
    await waitFor('command output in the terminal', async () => /roam-42 in talker/.test(await rows.innerText()) || undefined, 15_000, 200);
    await ui.screenshot('task-exec');
    await page.keyboard.type('exit 3\n');
    await waitFor('exit code shown', async () => /exited with code 3/.test(await rows.innerText()) || undefined, 15_000, 200);
  });
});
