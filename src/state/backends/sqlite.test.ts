import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runKvConformance } from '../kv-conformance.js';
import { openSqliteKv } from './sqlite.js';

runKvConformance('sqlite', async ({ clock }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-kv-'));
  const file = path.join(dir, 'state.db');
  return {
    kv: openSqliteKv(file, { clock }),
    reopen: async () => openSqliteKv(file, { clock }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
