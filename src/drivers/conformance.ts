// The one conformance suite every task driver passes (house style §5). A driver's test file calls
// runDriverConformance with a setup: how to make a fresh driver instance, the task `config`
// blocks for the suite's programs, and the features it claims. What a driver does not claim is
// reported as a skipped test that names the missing feature — never silently left out. This
// module owns the behavioural contract of driver.ts as executable tests; it must never import a
// concrete driver.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { ExitResult, TaskConfig, TaskDriver, TaskHandle } from './driver.js';
import { DriverError, exitSuccessful } from './driver.js';
import type { TaskConfigOptions } from './testing.js';
import { eventually, Janitor, makeTaskConfig, readIfExists } from './testing.js';

export interface ConformanceFeatures {
  /** Tasks are host processes: inspectTask reports `driverAttributes.pid`, stats measure them. */
  processes: boolean;
  /** `programs.shell` runs a POSIX shell script (environment, files, traps, volume of output). */
  shell: boolean;
  /**
   * How far recoverTask reaches: across a restart of the agent process ('agent-restart'), only
   * within the process that started the task ('in-process'), or not at all ('none').
   */
  recover: 'agent-restart' | 'in-process' | 'none';
  /** Output is rotated by the task's logs block (max_file_size, max_files). */
  logRotation: boolean;
  /**
   * How a death by signal N is reported: as `signal: N` (process drivers), or as exit code
   * 128 + N with signal 0, as Docker reports it and Nomad's docker driver passes on.
   */
  exitSignals?: 'signal' | 'exit-code';
}

/** Task `config` blocks for the programs the suite runs. */
export interface ConformancePrograms {
  /** Exits with `code` after about `afterMs`. */
  exit(code: number, afterMs?: number): Record<string, unknown>;
  /** Runs until stopped (exits on SIGINT/SIGTERM). */
  runForever(): Record<string, unknown>;
  /** Dies of SIGTERM (signal 15) soon after starting. */
  killedBySigterm(): Record<string, unknown>;
  /** Prints `line` + "\n" `count` times on stdout, then exits 0. */
  printLines(line: string, count: number): Record<string, unknown>;
  /** A config the driver accepts but fails to start with, and the error it must give. */
  startFailure(): { config: Record<string, unknown>; message: RegExp };
  /** Runs a POSIX shell script (required when features.shell). */
  shell?(script: string): Record<string, unknown>;
  /**
   * Tries to use `mb` MiB of memory at once (only for drivers that enforce `resources.memory`:
   * the suite runs it under a smaller limit and expects an OOM kill).
   */
  allocateMemory?(mb: number): Record<string, unknown>;
}

export interface DriverConformanceSetup {
  /** A fresh driver instance; called again to stand for the agent after a restart. */
  newDriver(): TaskDriver;
  /** The same driver switched off, for drivers that have such a state (raw_exec). */
  newDisabledDriver?(): TaskDriver;
  features: ConformanceFeatures;
  programs: ConformancePrograms;
}

interface Env {
  driver: TaskDriver;
  janitor: Janitor;
  root: string;
  cfg(opts: TaskConfigOptions): TaskConfig;
  start(opts: TaskConfigOptions): Promise<{ cfg: TaskConfig; handle: TaskHandle }>;
  stdout(cfg: TaskConfig, index?: number): string;
  /** Drivers made by the test besides `driver` (shut down at cleanup). */
  extraDrivers: TaskDriver[];
}

const LONG = 30_000;

export function runDriverConformance(name: string, setup: DriverConformanceSetup): void {
  const { features: f, programs: p } = setup;
  /** Asserts that `res` is a death by signal `sig`, in the form the driver reports. */
  const assertKilledBy = (res: ExitResult, sig: number): void => {
    if (f.exitSignals === 'exit-code') {
      assert.equal(res.exitCode, 128 + sig, `exit code 128+${sig}`);
      assert.equal(res.signal, 0);
    } else {
      assert.equal(res.signal, sig);
    }
  };
  const need = (ok: boolean, why: string): { skip?: string } => (ok ? {} : { skip: `${name} does not claim: ${why}` });
  const shell = (script: string): Record<string, unknown> => {
    if (!p.shell) throw new Error(`${name}: features.shell is claimed but programs.shell is missing`);
    return p.shell(script);
  };

  async function withEnv(fn: (e: Env) => Promise<void>): Promise<void> {
    const driver = setup.newDriver();
    const janitor = new Janitor();
    const root = janitor.tempDir(`roam-${name}-`);
    const started: string[] = [];
    const e: Env = {
      driver,
      janitor,
      root,
      extraDrivers: [],
      cfg: (opts) => makeTaskConfig(root, { isolation: driver.capabilities().fsIsolation, ...opts }),
      async start(opts) {
        const cfg = e.cfg(opts);
        const handle = await driver.startTask(cfg);
        started.push(cfg.id);
        const pid = driver.inspectTask(cfg.id).driverAttributes.pid;
        if (f.processes) {
          assert.ok(pid && /^\d+$/.test(pid), 'a process driver reports driverAttributes.pid');
          janitor.trackPid(Number(pid));
        }
        return { cfg, handle };
      },
      stdout: (cfg, index = 0) => readIfExists(path.join(cfg.dirs.logDir, `${cfg.name}.stdout.${index}`)),
    };
    try {
      await fn(e);
    } finally {
      for (const d of [driver, ...e.extraDrivers]) {
        for (const id of started) await d.destroyTask(id, true).catch(() => undefined);
        await d.shutdown();
      }
      janitor.cleanup();
    }
  }

  const exitOf = async (e: Env, id: string, ms = LONG): Promise<ExitResult> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`task ${id} did not exit within ${ms} ms`)), ms)));
    try {
      return await Promise.race([e.driver.waitTask(id), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  void describe(`driver conformance: ${name}`, () => {
    void describe('fingerprint and config', () => {
      test('fingerprint is healthy and sets driver.<name>', () =>
        withEnv(async ({ driver }) => {
          const fp = await driver.fingerprint();
          assert.equal(fp.health, 'healthy');
          assert.equal(fp.healthDescription, 'Healthy');
          assert.ok(fp.attributes[`driver.${driver.name}`], `driver.${driver.name} attribute`);
        }));

      test('a disabled driver is not healthy and refuses to start tasks', need(!!setup.newDisabledDriver, 'a disabled state'), async () => {
        const driver = setup.newDisabledDriver?.();
        assert.ok(driver);
        const janitor = new Janitor();
        try {
          const fp = await driver.fingerprint();
          assert.notEqual(fp.health, 'healthy');
          await assert.rejects(driver.startTask(makeTaskConfig(janitor.tempDir(), { config: p.exit(0) })), (err: unknown) => err instanceof DriverError && !err.recoverable);
        } finally {
          await driver.shutdown();
          janitor.cleanup();
        }
      });

      test('validateConfig accepts the programs and names an unknown option', () =>
        withEnv(async ({ driver }) => {
          assert.deepEqual(driver.validateConfig(p.exit(0)), []);
          assert.deepEqual(driver.validateConfig(p.runForever()), []);
          const errs = driver.validateConfig({ ...p.exit(0), no_such_option: true });
          assert.equal(errs.length, 1);
          assert.match(errs[0] ?? '', /no_such_option/);
          await Promise.resolve();
        }));

      test('a task that cannot start fails startTask with a clear DriverError', () =>
        withEnv(async (e) => {
          const bad = p.startFailure();
          await assert.rejects(e.driver.startTask(e.cfg({ config: bad.config })), (err: unknown) => err instanceof DriverError && bad.message.test(err.message));
        }));

      test('unknown task IDs are errors', () =>
        withEnv(async ({ driver }) => {
          assert.throws(() => driver.inspectTask('nope'), DriverError);
          // Promise-returning calls reject rather than throw.
          await assert.rejects(driver.waitTask('nope'), DriverError);
          await assert.rejects(driver.signalTask('nope', 'SIGUSR1'), DriverError);
          await assert.rejects(driver.taskStats('nope'), DriverError);
          await assert.rejects(driver.stopTask('nope', 100, ''), DriverError);
        }));
    });

    void describe('lifecycle', () => {
      test('start and wait report the exit code', () =>
        withEnv(async (e) => {
          const { cfg, handle } = await e.start({ config: p.exit(3, 100) });
          assert.equal(handle.taskID, cfg.id);
          assert.equal(handle.driver, e.driver.name);
          assert.doesNotThrow(() => JSON.stringify(handle), 'the handle is JSON-serializable');
          const res = await exitOf(e, cfg.id);
          assert.equal(res.exitCode, 3);
          assert.equal(res.signal, 0);
          assert.equal(exitSuccessful(res), false);
          const st = e.driver.inspectTask(cfg.id);
          assert.equal(st.state, 'exited');
          assert.deepEqual(st.exitResult, res);
          assert.ok(st.completedAt >= st.startedAt);
          assert.deepEqual(await e.driver.waitTask(cfg.id), res, 'waitTask after exit resolves at once with the same result');
          const ok = await e.start({ config: p.exit(0) });
          assert.ok(exitSuccessful(await exitOf(e, ok.cfg.id)));
        }));

      test('a task killed by a signal reports it', () =>
        withEnv(async (e) => {
          const { cfg } = await e.start({ config: p.killedBySigterm() });
          const res = await exitOf(e, cfg.id);
          assertKilledBy(res, 15);
          assert.equal(exitSuccessful(res), false);
        }));

      test('stopTask stops a running task', () =>
        withEnv(async (e) => {
          const { cfg } = await e.start({ config: p.runForever() });
          assert.equal(e.driver.inspectTask(cfg.id).state, 'running');
          await e.driver.stopTask(cfg.id, 5000, '');
          const res = await exitOf(e, cfg.id, 1000);
          assert.equal(e.driver.inspectTask(cfg.id).state, 'exited');
          assert.deepEqual(e.driver.inspectTask(cfg.id).exitResult, res);
          await e.driver.stopTask(cfg.id, 1000, ''); // stopping an exited task is fine
        }));

      test('stopTask sends the kill signal the task asked for', need(f.shell && f.processes, 'shell programs on host processes'), () =>
        withEnv(async (e) => {
          const { cfg } = await e.start({ config: shell("trap 'echo got-term; exit 7' TERM; echo ready; while :; do sleep 0.1; done"), killSignal: 'SIGTERM' });
          await eventually('the task to be ready', () => (e.stdout(cfg).includes('ready') ? true : undefined));
          const t0 = Date.now();
          await e.driver.stopTask(cfg.id, 10_000, '');
          assert.ok(Date.now() - t0 < 5000, 'a task that handles the signal is not made to wait for the timeout');
          const res = await exitOf(e, cfg.id);
          assert.equal(res.exitCode, 7);
          await eventually('the trap output', () => (e.stdout(cfg).includes('got-term') ? true : undefined));
        }));

      test('stopTask sends SIGKILL after kill_timeout to a task that ignores the signal', need(f.shell && f.processes, 'shell programs on host processes'), () =>
        withEnv(async (e) => {
          const { cfg } = await e.start({ config: shell("trap '' INT; echo ready; while :; do sleep 0.1; done") });
          await eventually('the task to be ready', () => (e.stdout(cfg).includes('ready') ? true : undefined));
          const t0 = Date.now();
          await e.driver.stopTask(cfg.id, 600, 'SIGINT');
          const elapsed = Date.now() - t0;
          const res = await exitOf(e, cfg.id);
          assert.ok(elapsed >= 550, `waited the kill timeout (${elapsed} ms)`);
          assertKilledBy(res, 9);
          assert.equal(res.oomKilled, false, 'our own SIGKILL is not an OOM kill');
          assert.deepEqual(e.janitor.liveProcesses(), [], 'the whole process group is gone');
        }));

      test('destroyTask refuses a running task unless forced', () =>
        withEnv(async (e) => {
          const { cfg } = await e.start({ config: p.runForever() });
          await assert.rejects(e.driver.destroyTask(cfg.id, false), DriverError);
          assert.equal(e.driver.inspectTask(cfg.id).state, 'running');
          await e.driver.destroyTask(cfg.id, true);
          assert.throws(() => e.driver.inspectTask(cfg.id), DriverError);
          if (f.processes) await eventually('the task processes to go', () => (e.janitor.liveProcesses().length === 0 ? true : undefined));
          const done = await e.start({ config: p.exit(0) });
          await exitOf(e, done.cfg.id);
          await e.driver.destroyTask(done.cfg.id, false);
          assert.throws(() => e.driver.inspectTask(done.cfg.id), DriverError);
        }));
    });

    void describe('task environment and logs', () => {
      test('the task sees its environment and the alloc, local and secrets dirs', need(f.shell, 'shell programs'), () =>
        withEnv(async (e) => {
          const script = [
            'echo "$NOMAD_TASK_NAME:$ROAM_CONFORMANCE" > "$NOMAD_TASK_DIR/x"',
            'test -d "$NOMAD_SECRETS_DIR" && test -d "$NOMAD_ALLOC_DIR/logs" && echo dirs-ok > "$NOMAD_ALLOC_DIR/data/y"',
          ].join('\n');
          const { cfg } = await e.start({ config: shell(script), env: { ROAM_CONFORMANCE: 'hello' } });
          assert.equal((await exitOf(e, cfg.id)).exitCode, 0);
          assert.equal(fs.readFileSync(path.join(cfg.dirs.localDir, 'x'), 'utf8'), 'web:hello\n');
          assert.equal(fs.readFileSync(path.join(cfg.dirs.sharedAllocDir, 'data', 'y'), 'utf8'), 'dirs-ok\n');
        }));

      test('stdout lands in <logDir>/<task>.stdout.0', () =>
        withEnv(async (e) => {
          const { cfg } = await e.start({ config: p.printLines('hello conformance', 3) });
          assert.equal((await exitOf(e, cfg.id)).exitCode, 0);
          await eventually('the log file', () => (e.stdout(cfg) === 'hello conformance\n'.repeat(3) ? true : undefined), 2000);
        }));

      test('stderr lands in <logDir>/<task>.stderr.0', need(f.shell, 'shell programs'), () =>
        withEnv(async (e) => {
          const { cfg } = await e.start({ config: shell('echo to-out; echo to-err >&2') });
          await exitOf(e, cfg.id);
          assert.equal(readIfExists(path.join(cfg.dirs.logDir, `${cfg.name}.stderr.0`)), 'to-err\n');
          assert.equal(e.stdout(cfg), 'to-out\n');
        }));

      test('logs rotate at max_file_size and keep max_files, newest highest, lines whole', need(f.shell && f.logRotation, 'log rotation with shell programs'), () =>
        withEnv(async (e) => {
          // 36 000 lines of 100 bytes: 3.6 MB through 1 MB files, keeping 2.
          const { cfg } = await e.start({ config: shell(`awk 'BEGIN { for (i = 1; i <= 36000; i++) printf "line %07d ${'.'.repeat(86)}\\n", i }'`), logs: { maxFiles: 2, maxFileSizeMB: 1 } });
          assert.equal((await exitOf(e, cfg.id)).exitCode, 0);
          const files = fs.readdirSync(cfg.dirs.logDir).filter((n) => n.startsWith(`${cfg.name}.stdout.`));
          const indexes = files.map((n) => Number(n.slice(`${cfg.name}.stdout.`.length))).sort((a, b) => a - b);
          assert.deepEqual(indexes, [2, 3]);
          const older = e.stdout(cfg, 2);
          const newest = e.stdout(cfg, 3);
          assert.equal(older.length, 1024 * 1024 - ((1024 * 1024) % 100), 'the full file ends at a line boundary');
          for (const text of [older, newest]) {
            assert.ok(text.length <= 1024 * 1024);
            assert.ok(text.endsWith('\n'));
            assert.ok(text.split('\n').slice(0, -1).every((l) => l.length === 99 && l.startsWith('line ')), 'no line is split');
          }
          assert.match(newest, /line 0036000 \.+\n$/, 'the newest file has the highest index');
          assert.ok(older.startsWith('line ') && Number(older.slice(5, 12)) < Number(newest.slice(5, 12)));
        }));
    });

    void describe('resource limits', () => {
      test('a task that uses more memory than resources.memory is OOM-killed and says so', need(!!p.allocateMemory, 'memory limits (programs.allocateMemory)'), () =>
        withEnv(async (e) => {
          const cfg = e.cfg({ config: p.allocateMemory?.(256) ?? {} });
          cfg.resources.memoryMB = 24;
          await e.driver.startTask(cfg);
          const res = await exitOf(e, cfg.id);
          await e.driver.destroyTask(cfg.id, true);
          assert.equal(res.oomKilled, true, 'oomKilled');
          assert.equal(exitSuccessful(res), false);
        }));
    });

    void describe('stats, signals and exec', () => {
      test('taskStats reports memory and CPU of a busy task', () =>
        withEnv(async (e) => {
          const { cfg } = await e.start({ config: f.shell ? shell('while :; do :; done') : p.runForever() });
          await new Promise((r) => setTimeout(r, 800));
          const u = await e.driver.taskStats(cfg.id);
          assert.ok(u.Timestamp > 0);
          if (f.processes) {
            assert.ok(u.MemoryStats.RSS > 0, 'RSS measured');
            assert.ok(u.MemoryStats.Measured.includes('RSS'));
            assert.ok(u.CpuStats.Percent > 5, `CPU percent of a busy loop (${u.CpuStats.Percent})`);
            assert.ok(u.CpuStats.UserMode + u.CpuStats.SystemMode > 0);
            await new Promise((r) => setTimeout(r, 300));
            const again = await e.driver.taskStats(cfg.id);
            assert.ok(again.CpuStats.Percent > 5, 'the second sample covers the interval since the first');
          }
        }));

      test('signalTask delivers a signal the task traps', need(f.shell && f.processes, 'shell programs on host processes'), () =>
        withEnv(async (e) => {
          assert.ok(e.driver.capabilities().sendSignals);
          const { cfg } = await e.start({ config: shell("trap 'echo got-usr1' USR1; echo ready; while :; do sleep 0.1; done") });
          await eventually('the task to be ready', () => (e.stdout(cfg).includes('ready') ? true : undefined));
          await e.driver.signalTask(cfg.id, 'SIGUSR1');
          await eventually('the trap output', () => (e.stdout(cfg).includes('got-usr1') ? true : undefined));
          assert.equal(e.driver.inspectTask(cfg.id).state, 'running');
        }));

      test('execTask without a TTY returns output and exit code', need(f.shell, 'shell programs'), () =>
        withEnv(async (e) => {
          assert.ok(e.driver.capabilities().exec, 'a driver with shell programs claims exec');
          const { cfg } = await e.start({ config: p.runForever() });
          const out: Buffer[] = [];
          const err: Buffer[] = [];
          const res = await e.driver.execTask(cfg.id, {
            command: ['/bin/sh', '-c', 'echo "hi $NOMAD_TASK_NAME"; read line; echo "in:$line"; echo oops >&2; exit 3'],
            tty: false,
            stdin: (async function* () {
              yield Buffer.from('typed\n');
            })(),
            stdout: (d) => out.push(Buffer.from(d)),
            stderr: (d) => err.push(Buffer.from(d)),
          });
          assert.equal(res.exitCode, 3);
          assert.equal(Buffer.concat(out).toString(), 'hi web\nin:typed\n');
          assert.equal(Buffer.concat(err).toString(), 'oops\n');
        }));

      test('execTask is refused by a driver that does not claim exec', (t) =>
        withEnv(async (e) => {
          if (e.driver.capabilities().exec) {
            t.skip(`${name} claims exec: the exec tests cover it`);
            return;
          }
          const { cfg } = await e.start({ config: p.runForever() });
          await assert.rejects(e.driver.execTask(cfg.id, { command: ['true'], tty: false, stdout: () => undefined, stderr: () => undefined }), DriverError);
        }));

      test('execTask with a TTY runs on a pseudo-terminal', need(f.shell, 'shell programs'), () =>
        withEnv(async (e) => {
          assert.ok(e.driver.capabilities().exec, 'a driver with shell programs claims exec');
          const { cfg } = await e.start({ config: p.runForever() });
          const out: Buffer[] = [];
          const res = await e.driver.execTask(cfg.id, { command: ['tty'], tty: true, stdout: (d) => out.push(Buffer.from(d)), stderr: () => undefined });
          assert.equal(res.exitCode, 0);
          assert.match(Buffer.concat(out).toString(), /\/dev\/pts\/\d+/);
        }));
    });

    void describe('recovery', () => {
      const scope = f.recover === 'agent-restart' ? 'after an agent restart' : 'in a new driver instance (same process)';
      test(`recoverTask re-attaches to a running task ${scope}`, need(f.recover !== 'none', 'recoverTask'), () =>
        withEnv(async (e) => {
          const program = f.shell ? shell('i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.05; done') : p.runForever();
          const { cfg, handle } = await e.start({ config: program });
          const pid = e.driver.inspectTask(cfg.id).driverAttributes.pid;
          const persisted = JSON.parse(JSON.stringify(handle)) as TaskHandle;
          await e.driver.shutdown(); // the agent dies
          if (f.shell) {
            const before = e.stdout(cfg).length;
            await eventually('output while the agent is down', () => (e.stdout(cfg).length > before ? true : undefined));
          }
          const next = setup.newDriver();
          e.extraDrivers.push(next);
          await next.recoverTask(persisted, cfg);
          const st = next.inspectTask(cfg.id);
          assert.equal(st.state, 'running');
          if (f.processes) {
            assert.equal(st.driverAttributes.pid, pid, 'same PID');
            assert.doesNotThrow(() => process.kill(Number(pid), 0));
          }
          await next.recoverTask(persisted, cfg); // recovering twice is harmless
          await next.stopTask(cfg.id, 5000, 'SIGTERM');
          const res = await next.waitTask(cfg.id);
          assert.equal(next.inspectTask(cfg.id).state, 'exited');
          assert.ok(res.signal !== 0 || res.exitCode !== 0 || f.processes === false);
          if (f.processes) await eventually('the task processes to go', () => (e.janitor.liveProcesses().length === 0 ? true : undefined));
        }));

      test(`a task that exits while the agent is down reports its real exit code ${scope}`, need(f.recover !== 'none', 'recoverTask'), () =>
        withEnv(async (e) => {
          const { cfg, handle } = await e.start({ config: p.exit(42, 300) });
          const persisted = JSON.parse(JSON.stringify(handle)) as TaskHandle;
          await e.driver.shutdown();
          await new Promise((r) => setTimeout(r, 900));
          const next = setup.newDriver();
          e.extraDrivers.push(next);
          await next.recoverTask(persisted, cfg);
          const res = await next.waitTask(cfg.id);
          assert.equal(res.exitCode, 42);
          assert.equal(next.inspectTask(cfg.id).state, 'exited');
        }));

      test('recoverTask fails for a task that is gone without a trace', need(f.recover !== 'none', 'recoverTask'), () =>
        withEnv(async (e) => {
          const { cfg, handle } = await e.start({ config: p.exit(0) });
          await exitOf(e, cfg.id);
          await e.driver.destroyTask(cfg.id, false);
          await e.driver.shutdown();
          const next = setup.newDriver();
          e.extraDrivers.push(next);
          await assert.rejects(next.recoverTask(JSON.parse(JSON.stringify(handle)) as TaskHandle, cfg), DriverError);
        }));
    });
  });
}
