#!/usr/bin/env node
// Bundles the roam binary (src/main.ts and everything it imports) into dist/roam.mjs with esbuild,
// and the docker driver's log follower into dist/docker-logger.mjs.
// npm packages stay external and load from node_modules; the bundle is only our own code, which
// makes `roam` start in a fraction of the time tsx would take.
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
await build({
  entryPoints: [path.join(root, 'src/main.ts')],
  outfile: path.join(root, 'dist/roam.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: '// Built by scripts/build.mjs from src/ — do not edit.' },
});
// The docker driver's per-task log follower, a process of its own (see src/drivers/docker/logger.ts).
await build({
  entryPoints: [path.join(root, 'src/drivers/docker/logger-main.ts')],
  outfile: path.join(root, 'dist/docker-logger.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  banner: { js: '// Built by scripts/build.mjs from src/ — do not edit.' },
});
