#!/usr/bin/env node
// Runs the test suite with node's own test runner on the TypeScript sources (through tsx), so the
// runner's closing summary ("# pass N", "# fail N") is printed. Arguments narrow the run to files or
// folders: `node scripts/run-tests.mjs src/jobspec test/e2e/agent.test.ts`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'test', 'scripts'];

function collect(entry, out) {
  const abs = path.resolve(root, entry);
  const stat = fs.statSync(abs);
  if (stat.isFile()) {
    out.push(path.relative(root, abs));
    return;
  }
  for (const name of fs.readdirSync(abs).sort()) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const child = path.join(abs, name);
    if (fs.statSync(child).isDirectory()) collect(child, out);
    else if (name.endsWith('.test.ts')) out.push(path.relative(root, child));
  }
}

const files = [];
for (const r of roots) if (fs.existsSync(path.resolve(root, r))) collect(r, files);
if (files.length === 0) {
  console.error('no test files found under', roots.join(', '));
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...files];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ROAM_REPO: root } });
process.exit(result.status ?? 1);
