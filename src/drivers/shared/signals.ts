// Signal names as jobspecs write them ("SIGINT", "INT", "sigusr1", "9") → the host's signal.
import os from 'node:os';
import { DriverError } from '../driver.js';

export interface HostSignal {
  name: NodeJS.Signals;
  number: number;
}

const table = os.constants.signals as Record<string, number | undefined>;

/** Resolves a signal name or number; throws a non-recoverable DriverError for an unknown one. */
export function parseSignal(input: string): HostSignal {
  const s = input.trim().toUpperCase();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    for (const [name, num] of Object.entries(table)) if (num === n) return { name: name as NodeJS.Signals, number: n };
  } else {
    const name = s.startsWith('SIG') ? s : `SIG${s}`;
    const num = table[name];
    if (num !== undefined) return { name: name as NodeJS.Signals, number: num };
  }
  throw new DriverError(`unknown signal ${JSON.stringify(input)}`, false);
}

/** Signals a whole process group; false when the group no longer exists. */
export function signalGroup(pgid: number, sig: HostSignal | 'SIGKILL'): boolean {
  if (pgid <= 1) return false; // never -1 (everything) or -0 (our own group)
  try {
    process.kill(-pgid, typeof sig === 'string' ? sig : sig.name);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}
