import { nullLogger } from '../../structs/logger.js';
import { runDriverConformance } from '../conformance.js';
import { MockDriver } from './driver.js';

// Mock tasks are timers, not processes: no shell, no PIDs, no rotation, and recovery only
// within this process (see driver.ts).
runDriverConformance('mock_driver', {
  newDriver: () => new MockDriver({}, nullLogger),
  features: { processes: false, shell: false, recover: 'in-process', logRotation: false },
  programs: {
    exit: (code, afterMs = 0) => ({ run_for: `${afterMs}ms`, exit_code: code }),
    runForever: () => ({ run_for: '1h' }),
    killedBySigterm: () => ({ run_for: '10ms', exit_code: 143, exit_signal: 15 }),
    printLines: (line, count) => ({ stdout_string: `${line}\n`, stdout_repeat: count - 1, run_for: '10ms' }),
    startFailure: () => ({ config: { start_error: 'mock start failure' }, message: /^mock start failure$/ }),
  },
});
