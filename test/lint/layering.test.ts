// The import rules of ARCHITECTURE.md are enforced by lint, not good intentions: these tests run
// the project's own ESLint rules on probe files and expect forbidden imports to be rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { repoRoot } from '../helpers/roam.js';

async function lint(file: string, code: string): Promise<string[]> {
  const plugin = (await import(path.join(repoRoot, 'eslint', 'roam-plugin.js'))) as { default: ESLint.Plugin };
  const eslint = new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser as never },
        plugins: { roam: plugin.default },
        rules: { 'roam/layering': 'error', 'roam/no-cycle': 'error' },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

test('the scheduler may not import the server', async () => {
  const msgs = await lint('src/scheduler/probe.ts', "import { x } from '../server/anything.js';\nexport const y = x;\n");
  assert.equal(msgs.length, 1);
  assert.match(msgs[0] ?? '', /roam\/layering: src\/scheduler may not import src\/server/);
});

test('structs imports nothing of ours; client never imports server or scheduler; cli only the api', async () => {
  assert.match((await lint('src/structs/probe.ts', "import '../api/client.js';\n"))[0] ?? '', /src\/structs may not import src\/api/);
  assert.match((await lint('src/client/probe.ts', "import '../server/x.js';\n"))[0] ?? '', /src\/client may not import src\/server/);
  assert.match((await lint('src/client/probe.ts', "import '../scheduler/x.js';\n"))[0] ?? '', /src\/client may not import src\/scheduler/);
  assert.match((await lint('src/cli/probe.ts', "import '../http/server.js';\n"))[0] ?? '', /src\/cli may not import src\/http/);
  assert.deepEqual(await lint('src/cli/probe.ts', "import '../api/client.js';\n"), []);
});

test('only the agent wires concrete state backends and drivers', async () => {
  assert.match((await lint('src/server/probe.ts', "import '../state/backends/sqlite.js';\n"))[0] ?? '', /concrete implementation \(src\/state\/backends\)/);
  assert.match((await lint('src/client/probe.ts', "import '../drivers/rawexec/driver.js';\n"))[0] ?? '', /concrete implementation \(src\/drivers\/rawexec\)/);
  assert.deepEqual(await lint('src/client/probe.ts', "import '../drivers/driver.js';\n"), []);
  assert.deepEqual(await lint('src/drivers/rawexec/probe.ts', "import '../shared/proc.js';\n"), []);
  assert.match((await lint('src/client/probe.ts', "import '../drivers/shared/proc.js';\n"))[0] ?? '', /concrete implementation \(src\/drivers\/shared\)/);
  assert.deepEqual(await lint('src/agent/probe.ts', "import '../state/backends/sqlite.js';\nimport '../drivers/rawexec/driver.js';\n"), []);
});

test('dynamic imports and re-exports are checked too', async () => {
  assert.equal((await lint('src/scheduler/probe.ts', "export * from '../http/server.js';\n")).length, 1);
  assert.equal((await lint('src/scheduler/probe.ts', "export const m = () => import('../agent/agent.js');\n")).length, 1);
});

test('an import cycle is reported', async () => {
  const dir = fs.mkdtempSync(path.join(repoRoot, 'src', 'structs', '.cycle-probe-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
    fs.writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = () => a;\n");
    const msgs = await lint(path.relative(repoRoot, path.join(dir, 'a.ts')), fs.readFileSync(path.join(dir, 'a.ts'), 'utf8'));
    assert.equal(msgs.length, 1);
    assert.match(msgs[0] ?? '', /roam\/no-cycle: Import cycle: structs\/\.cycle-probe-\w+\/a\.ts → structs\/\.cycle-probe-\w+\/b\.ts → structs\/\.cycle-probe-\w+\/a\.ts/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
