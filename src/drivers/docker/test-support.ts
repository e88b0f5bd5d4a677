// Shared by the docker driver's tests: the conformance setup (busybox:1.36 programs, built by
// scripts/build-images.sh) and a check that dockerd answers, failing with what to run when not.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nullLogger } from '../../structs/logger.js';
import type { DriverConformanceSetup } from '../conformance.js';
import { DockerClient, parseEndpoint } from './api.js';
import { DockerDriver } from './driver.js';

export const TEST_IMAGE = 'busybox:1.36';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Fails the test file when dockerd is not reachable; builds the executor shim, the logger and the local images when missing. */
export async function requireDocker(): Promise<void> {
  try {
    await new DockerClient(parseEndpoint('')).json('/version', { timeoutMs: 3000 });
  } catch (e) {
    throw new Error(`dockerd is not reachable on /var/run/docker.sock (${e instanceof Error ? e.message : String(e)}): start it with scripts/services.sh start (scripts/test.sh does)`);
  }
  execFileSync('bash', [`${repoRoot}/scripts/build-native.sh`], { stdio: 'inherit' });
  execFileSync('bash', [`${repoRoot}/scripts/build-images.sh`], { stdio: 'ignore' });
  execFileSync(process.execPath, [`${repoRoot}/scripts/build.mjs`], { stdio: 'inherit' });
}

const sh = (script: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ image: TEST_IMAGE, command: '/bin/sh', args: ['-c', script], init: true, ...extra });

export const dockerSetup: DriverConformanceSetup = {
  newDriver: () => new DockerDriver({}, nullLogger),
  features: { processes: true, shell: true, recover: 'agent-restart', logRotation: true, exitSignals: 'exit-code' },
  programs: {
    exit: (code, afterMs = 0) => sh(`${afterMs > 0 ? `sleep ${afterMs / 1000}; ` : ''}exit ${code}`),
    runForever: () => ({ image: TEST_IMAGE, command: 'sleep', args: ['3600'], init: true }),
    killedBySigterm: () => sh('kill -TERM $$; sleep 5'),
    printLines: (line, count) => sh(`i=0; while [ $i -lt ${count} ]; do echo '${line.replace(/'/g, `'\\''`)}'; i=$((i+1)); done`),
    startFailure: () => ({ config: { image: TEST_IMAGE, command: '/no/such/program' }, message: /Failed to start container .*no such file/ }),
    shell: sh,
    allocateMemory: (mb) => ({ image: TEST_IMAGE, command: 'dd', args: ['if=/dev/zero', 'of=/dev/null', `bs=${mb}M`, 'count=1'] }),
  },
};
