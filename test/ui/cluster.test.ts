// The web UI's cluster and operations pages in a real browser: clients (list, detail, eligibility),
// servers, services with their instances and their health checks (one passing, one failing, with
// output), a job's task group page, variables (create, view, edit, delete) and evaluations with
// placement failures explained.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { skipReason, startUi, type UiHarness } from './browser.js';
import { waitFor } from '../helpers/wait.js';

const WEB = `job "websvc" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name     = "web-svc"
      port     = "http"
      provider = "nomad"
      tags     = ["blue"]
      check {
        name     = "root"
        type     = "http"
        path     = "/"
        interval = "1s"
        timeout  = "1s"
      }
      check {
        name     = "missing"
        type     = "http"
        path     = "/missing-page"
        interval = "1s"
        timeout  = "1s"
      }
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "python3"
        args    = ["-m", "http.server", "\${NOMAD_PORT_http}", "--bind", "127.0.0.1"]
      }
      resources {
        cpu    = 120
        memory = 64
      }
    }
  }
}`;

const NOWHERE = `job "nowhere" {
  group "g" {
    constraint {
      attribute = "\${attr.kernel.name}"
      value     = "plan9"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}`;

describe('web UI: cluster and operations', { skip: skipReason }, () => {
  let ui: UiHarness;
  let nodeId = '';

  before(async () => {
    ui = await startUi();
    nodeId = (await ui.api.nodes.list()).data[0]?.ID ?? '';
    await ui.runHcl(WEB);
    await ui.runHcl(NOWHERE);
  });

  after(async () => {
    await ui?.close();
  });

  test('clients: the list, a client page, and the eligibility toggle', async () => {
    const { page } = ui;
    await ui.open('/clients');
    const table = page.getByTestId('clients-table');
    await table.getByText('ready').waitFor();
    await table.getByRole('link', { name: nodeId.slice(0, 8) }).click();
    await page.waitForURL(new RegExp(`/ui/clients/${nodeId}$`));
    await page.getByTestId('client-drivers').getByText('raw_exec').waitFor();
    assert.match(await page.getByTestId('client-attributes').innerText(), /kernel\.name/);
    await page.getByTestId('allocations-table').getByText('websvc').waitFor();
    await ui.screenshot('client');
    await page.getByTestId('toggle-eligibility').click();
    await waitFor('node ineligible', async () => (await ui.api.nodes.info(nodeId)).data.SchedulingEligibility === 'ineligible' || undefined, 10_000);
    await page.getByTestId('toggle-eligibility').getByText('Mark eligible').waitFor();
    await page.getByTestId('toggle-eligibility').click();
    await waitFor('node eligible', async () => (await ui.api.nodes.info(nodeId)).data.SchedulingEligibility === 'eligible' || undefined, 10_000);
  });

  test('servers: the dev agent is the leader', async () => {
    const { page } = ui;
    await ui.open('/servers');
    const table = page.getByTestId('servers-table');
    await table.getByText('alive').waitFor();
    await table.locator('td').getByText('leader', { exact: true }).waitFor();
  });

  test('services: the registered service and its instance address', async () => {
    const { page } = ui;
    await ui.open('/services');
    await page.getByTestId('services-table').getByRole('link', { name: 'web-svc' }).click();
    await page.waitForURL(/\/ui\/services\/web-svc@default$/);
    const instances = page.getByTestId('service-instances');
    await instances.getByText(/^127\.0\.0\.1:\d+$/).waitFor();
    await instances.getByText('websvc').waitFor();
    await instances.getByText('blue').waitFor();
    // Each instance's checks, live: the root page passes, the missing page fails with its output.
    const checks = page.getByTestId('service-checks');
    await checks.getByTestId('check-root').getByText('success', { exact: true }).waitFor();
    await checks.getByTestId('check-missing').getByText('failure', { exact: true }).waitFor();
    assert.match(await checks.getByTestId('check-missing').innerText(), /HTTP 404/);
    assert.match(await checks.getByTestId('check-root').innerText(), /HTTP 200/);
    await instances.getByText('success').waitFor();
    await instances.getByText('failure').waitFor();
    await ui.screenshot('service');
  });

  test('a task group page: summary, resources, tasks, allocations and services', async () => {
    const { page } = ui;
    await ui.open('/jobs/websvc@default');
    await page.getByTestId('group-summaries').getByRole('link', { name: 'web' }).click();
    await page.waitForURL(/\/ui\/jobs\/websvc@default\/web$/);
    await page.getByTestId('group-name').getByText('web').waitFor();
    const facts = await page.getByTestId('group-facts').innerText();
    assert.match(facts, /Desired count\s+1/);
    assert.match(facts, /Reserved CPU\s+120 MHz/);
    assert.match(facts, /Reserved memory\s+64 MiB/);
    assert.match(await page.getByTestId('group-summary').innerText(), /Running\s*1/);
    assert.match(await page.getByTestId('group-tasks').innerText(), /server\s+raw_exec/);
    await page.getByTestId('allocations-table').getByText('running').waitFor();
    const services = page.getByTestId('group-services');
    await services.getByText('1 running').waitFor();
    assert.match(await services.innerText(), /root \(http \/, every 1s\); missing \(http \/missing-page, every 1s\)/);
    await ui.screenshot('task-group');
    await services.getByRole('link', { name: 'web-svc' }).click();
    await page.waitForURL(/\/ui\/services\/web-svc@default$/);
    await ui.open('/jobs/websvc@default/nope');
    await page.getByText('Job “websvc” has no task group named “nope”.').waitFor();
  });

  test('variables: create, view with hidden values, edit, delete', async () => {
    const { page } = ui;
    await ui.open('/variables');
    await page.getByText('No variables yet').waitFor();
    await page.getByTestId('new-variable').click();
    await page.getByTestId('variable-path').fill('nomad/jobs/websvc');
    await page.getByTestId('item-key-0').fill('password');
    await page.getByTestId('item-value-0').fill('s3cret');
    await page.getByTestId('variable-save').click();
    await page.waitForURL(/\/ui\/variables\/var\/nomad\/jobs\/websvc@default$/);
    const items = page.getByTestId('variable-items');
    await items.getByText('password').waitFor();
    assert.doesNotMatch(await items.innerText(), /s3cret/);
    await page.getByTestId('variable-reveal').click();
    await items.getByText('s3cret').waitFor();
    await page.getByTestId('variable-edit').click();
    await page.getByTestId('add-item').click();
    await page.getByTestId('item-key-1').fill('user');
    await page.getByTestId('item-value-1').fill('admin');
    await page.getByTestId('variable-save').click();
    await items.getByText('admin').waitFor();
    assert.deepEqual((await ui.api.variables.read('nomad/jobs/websvc')).data.Items, { password: 's3cret', user: 'admin' });
    await ui.screenshot('variable');
    await page.getByTestId('variable-delete').click();
    await page.getByTestId('variable-delete-confirm').click();
    await page.waitForURL(/\/ui\/variables$/);
    await page.getByText('No variables yet').waitFor();
  });

  test('topology: the client with its running allocation, drawn and linked', async () => {
    const { page } = ui;
    await ui.open('/topology');
    assert.match(await page.getByTestId('topology-totals').innerText(), /1 client · 1 running or pending allocations/);
    const block = page.getByTestId('topology').getByRole('button', { name: 'websvc' });
    await block.waitFor();
    await ui.screenshot('topology');
    await block.click();
    await page.waitForURL(/\/ui\/allocations\/[0-9a-f-]{36}$/);
  });

  test('an unknown address says so and links back', async () => {
    const { page } = ui;
    await ui.open('/no/such/page');
    await page.getByText('Nothing lives at /ui/no/such/page').waitFor();
    await ui.open('/jobs/ghost@default');
    await page.getByText('No such job “ghost”').waitFor();
    await page.getByRole('link', { name: '← All jobs' }).click();
    await page.waitForURL(/\/ui\/jobs$/);
  });

  test('evaluations: a blocked job’s placement failure is explained', async () => {
    const { page } = ui;
    await ui.open('/evaluations?status=blocked');
    const table = page.getByTestId('evaluations-table');
    await table.getByRole('link', { name: 'nowhere' }).waitFor();
    await table.locator('tbody tr').first().locator('td').first().click();
    await page.waitForURL(/eval=/);
    const detail = page.getByTestId('eval-detail');
    await detail.getByText('blocked', { exact: true }).waitFor();
    await ui.open('/evaluations?q=nowhere');
    const rows = page.getByTestId('evaluations-table').locator('tbody tr');
    await rows.first().waitFor();
    // The job's first evaluation carries the failure; its blocked follow-up waits for capacity.
    const n = await rows.count();
    let explained = false;
    for (let i = 0; i < n && !explained; i++) {
      await rows.nth(i).locator('td').first().click();
      await page.getByTestId('eval-detail').waitFor();
      explained = (await page.getByTestId('eval-failures').count()) > 0;
    }
    assert.ok(explained, 'no evaluation of "nowhere" explained its placement failure');
    assert.match(await page.getByTestId('eval-failures').innerText(), /Constraint "\$\{attr\.kernel\.name\} = plan9": 1 nodes excluded by filter/);
    await ui.screenshot('evaluations');
    // The job page shows the same explanation.
    await ui.open('/jobs/nowhere@default');
    await page.getByTestId('placement-failures').getByText(/plan9/).waitFor();
  });
});
