// The real thing behind the conformance suite's in-process recovery tests: the task is started
// by a separate "agent" process that is then killed with SIGKILL; the task must keep running with
// the same PID and keep writing its log, and a fresh driver must re-attach to it — or report the
// exit code of a task that ended while no agent was running. The agent runs under the shim's
// reaper mode so the orphaned shim is reaped here (PID 1 of a container may not reap).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { nullLogger } from '../../structs/logger.js';
import type { TaskConfig, TaskHandle } from '../driver.js';
import { executorPath } from '../shared/executor-client.js';
import { isSameProcessAlive, readProcStat } from '../shared/proc.js';
import { eventually, Janitor, makeTaskConfig, readIfExists } from '../testing.js';
import { RawExecDriver } from './driver.js';
import { buildExecutor, repoRoot } from './test-support.js';

before(buildExecutor);

interface Agent {
  agentPid: number;
  handle: TaskHandle;
  reaperExited: Promise<number | null>;
}

async function startAgent(janitor: Janitor, cfg: TaskConfig): Promise<Agent> {
  const cfgFile = path.join(janitor.tempDir(), 'task.json');
  fs.writeFileSync(cfgFile, JSON.stringify(cfg));
  const child = path.join(repoRoot, 'src', 'drivers', 'rawexec', 'testdata', 'agent-child.ts');
  const reaper = spawn(executorPath(), ['-R', '--', process.execPath, '--import', 'tsx', child, cfgFile], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  janitor.trackPid(reaper.pid ?? 0);
  const reaperExited = new Promise<number | null>((r) => reaper.once('exit', r));
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    reaper.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    reaper.once('exit', () => reject(new Error(`agent exited early: ${buf}`)));
  });
  const parsed = JSON.parse(line) as { agentPid: number; handle: TaskHandle };
  return { ...parsed, reaperExited };
}

test('a task keeps running, same PID and same log, through a SIGKILL of the agent', async () => {
  const janitor = new Janitor();
  const driver = new RawExecDriver({ enabled: true }, nullLogger);
  try {
    const cfg = makeTaskConfig(janitor.tempDir(), { config: { command: '/bin/sh', args: ['-c', 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.05; done'] } });
    const agent = await startAgent(janitor, cfg);
    const taskPid = Number(agent.handle.state.taskPid);
    janitor.trackPid(taskPid);
    const executorPid = Number(agent.handle.state.executorPid);
    assert.notEqual(readProcStat(taskPid)?.pgrp, readProcStat(agent.agentPid)?.pgrp, 'the task is not in the agent process group');
    assert.notEqual(readProcStat(executorPid)?.pgrp, readProcStat(agent.agentPid)?.pgrp);

    process.kill(agent.agentPid, 'SIGKILL');
    await eventually('the agent to die', () => (readProcStat(agent.agentPid) === undefined || readProcStat(agent.agentPid)?.state === 'Z' ? true : undefined));
    const logFile = path.join(cfg.dirs.logDir, 'web.stdout.0');
    const before = readIfExists(logFile).length;
    await eventually('output while no agent runs', () => (readIfExists(logFile).length > before + 20 ? true : undefined));
    assert.ok(isSameProcessAlive(taskPid, Number(agent.handle.state.taskStartTicks)), 'the task is still running');

    await driver.recoverTask(agent.handle, cfg);
    const st = driver.inspectTask(cfg.id);
    assert.equal(st.state, 'running');
    assert.equal(st.driverAttributes.pid, String(taskPid));
    await driver.stopTask(cfg.id, 5000, 'SIGTERM');
    const res = await driver.waitTask(cfg.id);
    assert.equal(res.signal, 15);
    assert.equal(await agent.reaperExited, 137, 'the reaper saw its agent killed and every orphan reaped');
    // the log went on in the same file: the numbers continue without a gap
    const ticks = readIfExists(logFile).trim().split('\n').map((l) => Number(l.split(' ')[1]));
    assert.deepEqual(ticks, ticks.map((_, i) => i + 1));
  } finally {
    await driver.shutdown();
    janitor.cleanup();
  }
});

test('the exit code of a task that ended while the agent was dead is reported after recovery', async () => {
  const janitor = new Janitor();
  const driver = new RawExecDriver({ enabled: true }, nullLogger);
  try {
    const cfg = makeTaskConfig(janitor.tempDir(), { config: { command: '/bin/sh', args: ['-c', 'sleep 0.4; echo bye; exit 42'] } });
    const agent = await startAgent(janitor, cfg);
    janitor.trackPid(Number(agent.handle.state.taskPid));
    process.kill(agent.agentPid, 'SIGKILL');
    assert.equal(await agent.reaperExited, 137, 'the task ended and its shim was reaped');
    await driver.recoverTask(agent.handle, cfg);
    const res = await driver.waitTask(cfg.id);
    assert.deepEqual(res, { exitCode: 42, signal: 0, oomKilled: false });
    assert.equal(readIfExists(path.join(cfg.dirs.logDir, 'web.stdout.0')), 'bye\n');
  } finally {
    await driver.shutdown();
    janitor.cleanup();
  }
});
