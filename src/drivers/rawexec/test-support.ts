// Shared by raw_exec's tests: builds the executor shim when it is missing or stale, and the
// conformance setup (plugin config, task programs as /bin/sh commands).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nullLogger } from '../../structs/logger.js';
import type { DriverConformanceSetup } from '../conformance.js';
import { RawExecDriver } from './driver.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Runs scripts/build-native.sh (a no-op when dist/native/roam-executor is up to date). */
export function buildExecutor(): void {
  execFileSync(path.join(repoRoot, 'scripts', 'build-native.sh'), { stdio: 'inherit' });
}

const sh = (script: string): Record<string, unknown> => ({ command: '/bin/sh', args: ['-c', script] });

export const rawExecSetup: DriverConformanceSetup = {
  newDriver: () => new RawExecDriver({ enabled: true }, nullLogger),
  newDisabledDriver: () => new RawExecDriver({}, nullLogger),
  features: { processes: true, shell: true, recover: 'agent-restart', logRotation: true },
  programs: {
    exit: (code, afterMs = 0) => sh(`${afterMs > 0 ? `sleep ${afterMs / 1000}; ` : ''}exit ${code}`),
    runForever: () => ({ command: 'sleep', args: ['3600'] }),
    killedBySigterm: () => sh('kill -TERM $$; sleep 5'),
    printLines: (line, count) => sh(`i=0; while [ $i -lt ${count} ]; do echo '${line.replace(/'/g, `'\\''`)}'; i=$((i+1)); done`),
    startFailure: () => ({ config: { command: '/no/such/program' }, message: /failed to launch command: .*no such file/ }),
    shell: sh,
  },
};
