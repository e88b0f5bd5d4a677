// A stand-in for the client agent in agent-restart.test.ts: starts one task with the raw_exec
// driver, prints {"agentPid", "handle"} as one JSON line, then idles until it is killed (the test
// kills it with SIGKILL, as an agent crash).
import fs from 'node:fs';
import { nullLogger } from '../../../structs/logger.js';
import type { TaskConfig } from '../../driver.js';
import { RawExecDriver } from '../driver.js';

const cfg = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8')) as TaskConfig;
const driver = new RawExecDriver({ enabled: true }, nullLogger);
const handle = await driver.startTask(cfg);
process.stdout.write(`${JSON.stringify({ agentPid: process.pid, handle })}\n`);
setInterval(() => undefined, 60_000);
