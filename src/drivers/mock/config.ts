// The mock driver's task config, as Nomad's drivers/mock declares it: how long the task "runs",
// how it ends, what it prints, and which calls fail.
import type { ConfigSchema } from '../shared/config-schema.js';
import { checkConfig, readBool, readDurationMs, readInt, readString } from '../shared/config-schema.js';

export const MOCK_TASK_SCHEMA: ConfigSchema = {
  run_for: { type: 'duration' },
  exit_code: { type: 'int' },
  exit_signal: { type: 'int' },
  exit_err_msg: { type: 'string' },
  start_error: { type: 'string' },
  start_error_recoverable: { type: 'bool' },
  start_block_for: { type: 'duration' },
  kill_after: { type: 'duration' },
  stdout_string: { type: 'string' },
  stdout_repeat: { type: 'int' },
  stdout_repeat_duration: { type: 'duration' },
  signal_error: { type: 'string' },
  // accepted as Nomad's mock does; they change nothing here
  plugin_exit_after: { type: 'duration' },
  driver_ip: { type: 'string' },
  driver_advertise: { type: 'bool' },
  driver_port_map: { type: 'string' },
};

export const MOCK_PLUGIN_SCHEMA: ConfigSchema = {
  fs_isolation: { type: 'string' },
  shutdown_periodic_after: { type: 'bool' },
  shutdown_periodic_duration: { type: 'duration' },
};

export interface MockTaskConfig {
  /** 0: exits at once. */
  runForMs: number;
  exitCode: number;
  exitSignal: number;
  exitErrMsg: string;
  startError: string;
  startErrorRecoverable: boolean;
  startBlockForMs: number;
  killAfterMs: number;
  stdoutString: string;
  stdoutRepeat: number;
  stdoutRepeatMs: number;
  signalError: string;
}

export function validateMockConfig(config: Record<string, unknown>): string[] {
  const errs = checkConfig('mock_driver', config, MOCK_TASK_SCHEMA);
  const repeat = readInt(config, 'stdout_repeat');
  if (repeat !== undefined && repeat < 0) errs.push('mock_driver option "stdout_repeat" must not be negative');
  return errs;
}

export function parseMockConfig(config: Record<string, unknown>): MockTaskConfig {
  return {
    runForMs: readDurationMs(config, 'run_for') ?? 0,
    exitCode: readInt(config, 'exit_code') ?? 0,
    exitSignal: readInt(config, 'exit_signal') ?? 0,
    exitErrMsg: readString(config, 'exit_err_msg') ?? '',
    startError: readString(config, 'start_error') ?? '',
    startErrorRecoverable: readBool(config, 'start_error_recoverable') ?? false,
    startBlockForMs: readDurationMs(config, 'start_block_for') ?? 0,
    killAfterMs: readDurationMs(config, 'kill_after') ?? 0,
    stdoutString: readString(config, 'stdout_string') ?? '',
    stdoutRepeat: readInt(config, 'stdout_repeat') ?? 0,
    stdoutRepeatMs: readDurationMs(config, 'stdout_repeat_duration') ?? 0,
    signalError: readString(config, 'signal_error') ?? '',
  };
}
