// `roam var lock [options] <path> [@spec.json] child…` (Nomad's command/var_lock.go): acquires a
// lock on a variable — waiting while someone else holds it, or giving up with -early-return — then
// runs the child command (through $SHELL -c, or directly with -shell=false) while the lease is
// renewed in the background, and releases the lock when the child exits. SIGINT and SIGTERM are
// passed to the child. If the lock is lost (a renewal fails), the child is killed (SIGKILL, as Go's
// exec.CommandContext does when its context ends). Exit code 0 when the child succeeded or the lock
// was not to be had with -early-return; otherwise 1 with "Lock error:…", as Nomad.
import { spawn, type StdioOptions } from 'node:child_process';
import { LockLeaser, VariableLocker, DEFAULT_LOCK_MAX_RETRIES, LockLeaseError } from '../../api/index.js';
import { DurationError, formatDuration, parseDuration } from '../../structs/duration.js';
import { DEFAULT_LOCK_DELAY, DEFAULT_LOCK_TTL } from '../../structs/variable.js';
import { CommandError, defineCommand, type CommandIO } from '../command.js';
import { parseSpec, readSpecFile, rejectWildcard, sanitizePath, type Spec } from './var.js';

const isFileRef = (a: string): boolean => a.startsWith('@') && !a.startsWith('\\@');

/** Go's syscall.Signal strings for the signals a child usually dies of. */
const GO_SIGNAL_NAMES: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGQUIT: 'quit',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGPIPE: 'broken pipe',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

async function readSpec(io: CommandIO, ref: string): Promise<Spec> {
  const { text, format } = await readSpecFile(io, ref.slice(1));
  return parseSpec(text, format);
}

function checkDuration(value: string, what: string): void {
  try {
    parseDuration(value);
  } catch (err) {
    throw new CommandError(`Invalid ${what}: ${err instanceof DurationError ? err.message : String(err)}`);
  }
}

/**
 * Runs the child until it exits; resolves when it exited 0, rejects with Go's ExitError text
 * ("exit status 3", "signal: killed") otherwise. `lost` kills it.
 */
function runChild(io: CommandIO, argv: string[], shell: boolean, lost: AbortSignal): Promise<void> {
  let file: string;
  let args: string[];
  if (shell) {
    file = io.env['SHELL'] || '/bin/sh';
    args = ['-c', argv.join(' ')];
  } else {
    if (argv.length === 0) return Promise.reject(new Error('need an executable to run'));
    file = argv[0] ?? '';
    args = argv.slice(1);
  }
  // The real terminal when the CLI runs as a process; the command's streams otherwise (tests).
  const own = io.stdin === process.stdin;
  const stdio: StdioOptions = own ? 'inherit' : ['ignore', 'pipe', 'pipe'];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio, env: io.env, cwd: io.cwd });
    child.stdout?.on('data', (d: Buffer) => io.out(d.toString()));
    child.stderr?.on('data', (d: Buffer) => io.err(d.toString()));
    const forward = (sig: NodeJS.Signals): void => {
      child.kill(sig);
    };
    const onLost = (): void => {
      child.kill('SIGKILL');
    };
    const cleanup = (): void => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      lost.removeEventListener('abort', onLost);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    if (lost.aborted) onLost();
    else lost.addEventListener('abort', onLost, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      reject(new Error(err.code === 'ENOENT' ? `exec: ${JSON.stringify(file)}: executable file not found in $PATH` : err.message));
    });
    child.on('close', (code, signal) => {
      cleanup();
      if (code === 0) resolve();
      else if (signal) reject(new Error(`signal: ${GO_SIGNAL_NAMES[signal] ?? signal}`));
      else reject(new Error(`exit status ${code ?? -1}`));
    });
  });
}

export const varLockCommand = defineCommand({
  name: 'var lock',
  synopsis: 'Put a lock on a variable and run a child command if operation is successful',
  usage: `Usage:
roam var lock [options] <lock spec file reference> child...
roam var lock [options] <path to store variable> [<variable spec file reference>] child...

  The lock command provides a mechanism for simple distributed locking. A lock
  is created in the given variable, and only when held, is a child process invoked.

  The lock command can be called on an existing variable or an entire new variable
  specification can be provided to the command from a file by using an
  @-prefixed path to a variable specification file. Items to be stored in the
  variable can be supplied using the specification file as well.

  Roam lock launches its children in a shell. By default, Roam will use the
  shell defined in the environment variable SHELL. If SHELL is not defined,
  it will default to /bin/sh. It should be noted that not all shells terminate
  child processes when they receive SIGTERM. Under Debian, /bin/sh is linked
  to dash, which does not terminate its children. In order to ensure that
  child processes are killed when the lock is lost, be sure to set the SHELL
  environment variable appropriately, or run without a shell by setting -shell=false.`,
  api: true,
  optionsHelp: `Var lock Options:

  -verbose
    Provides additional information via standard error to preserve standard
    output (stdout) for redirected output.

  -ttl
    Optional, TTL for the lock, time the variable will be locked. Defaults to 15s.

  -delay
    Optional, time the variable is blocked from locking when a lease is not renewed.
    Defaults to 15s.

  -max-retry
    Optional, max-retry up to this number of times if Roam returns a 500 error
    while monitoring the lock. This allows riding out brief periods of
    unavailability without causing leader elections, but increases the amount of
    time required to detect a lost lock in some cases. Defaults to 5. Set to 0 to
    disable.

  -early-return
    Optional, early-return indicates the command to return if the lock is not
    acquired instead of waiting on stand by to try again. Defaults to false.

  -backoff
    Optional, indicates how long to wait between attempts to obtain the lock.
    By default the lease algorithm waits for 1.1 times the lock TTL.

  -shell
    Optional, use a shell to run the command (can set a custom shell via
    the SHELL environment variable). The default value is true.`,
  flags: (f) => {
    f.bool('verbose', false, 'Additional information on stderr.');
    f.string('ttl', '', 'TTL of the lock.');
    f.string('delay', '', 'Lock delay.');
    f.bool('shell', true, 'Run the child through $SHELL -c.');
    f.bool('early-return', false, 'Give up when the lock is held.');
    f.int('max-retry', DEFAULT_LOCK_MAX_RETRIES, 'Retries of failed calls.');
    f.duration('backoff', 0, 'Wait between attempts to acquire.');
  },
  async run({ io, api, args, flags }) {
    const verbose = (msg: string): void => {
      if (flags.getBool('verbose')) io.err(`${msg}\n`);
    };
    rejectWildcard(api);
    if (args.length < 2) throw new CommandError(`Not enough arguments (expected >2, got ${args.length})`);

    const rest = [...args];
    const first = rest.shift() ?? '';
    let varPath = '';
    let spec: Spec = {};
    if (isFileRef(first)) {
      verbose(`Reading whole variable specification from ${JSON.stringify(first.slice(1))}`);
      spec = await readSpec(io, first);
    } else {
      varPath = sanitizePath(first);
      verbose(`Writing to path ${JSON.stringify(varPath)}`);
    }
    const second = rest[0] ?? '';
    if (isFileRef(second)) {
      verbose(`Creating variable ${JSON.stringify(varPath)} from specification file ${JSON.stringify(second)}`);
      spec = await readSpec(io, second);
      rest.shift();
    }
    const finalPath = varPath || sanitizePath(spec.Path ?? '');
    const namespace = api.http.config.namespace || spec.Namespace || '';

    const ttlFlag = flags.getString('ttl');
    const delayFlag = flags.getString('delay');
    let ttl = spec.Lock?.TTL || '';
    let lockDelay = spec.Lock?.LockDelay || '';
    if (!spec.Lock) {
      if (ttlFlag === '' && delayFlag === '') verbose('Using defaults for the lock');
      ttl = formatDuration(DEFAULT_LOCK_TTL);
      lockDelay = formatDuration(DEFAULT_LOCK_DELAY);
    }
    if (ttlFlag !== '') {
      verbose(`Using TTL for the lock of ${ttlFlag}`);
      checkDuration(ttlFlag, 'TTL');
      ttl = ttlFlag;
    }
    if (delayFlag !== '') {
      verbose(`Using delay for the lock of ${delayFlag}`);
      checkDuration(delayFlag, 'Lock Delay');
      lockDelay = delayFlag;
    }
    if (ttl === '') ttl = formatDuration(DEFAULT_LOCK_TTL);
    checkDuration(ttl, 'TTL');

    let locker: VariableLocker;
    try {
      locker = new VariableLocker(
        api.variables,
        finalPath,
        { ttl, ...(lockDelay ? { lockDelay } : {}), ...(spec.Items ? { items: spec.Items } : {}), ...(spec.Lock?.ID ? { id: spec.Lock.ID } : {}) },
        { maxRetries: flags.getInt('max-retry'), ...(namespace ? { namespace } : {}) },
      );
    } catch (err) {
      throw new CommandError(`Error initializing lock handler: ${(err as Error).message}`);
    }
    if (flags.getBool('early-return')) verbose('Setting up early return');
    const backoff = flags.getDuration('backoff');
    if (backoff !== 0) verbose('Setting up backoff period');
    const leaser = new LockLeaser(locker, {
      earlyReturn: flags.getBool('early-return'),
      ...(backoff !== 0 ? { waitPeriodMs: backoff / 1e6 } : {}),
    });

    verbose('Attempting to acquire lock');
    try {
      await leaser.run((lost) => {
        verbose(`Variable locked, ready to execute: ${rest.join(' ')}`);
        return runChild(io, rest, flags.getBool('shell'), lost);
      });
    } catch (err) {
      if (err instanceof LockLeaseError) {
        io.err(`Lock error:${err.message}\n`);
        return 1;
      }
      throw err;
    }
    verbose('Releasing the lock');
    return 0;
  },
});
