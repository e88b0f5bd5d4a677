// Nomad Variables (nomad/variables_endpoint.go, state_store_variables.go): secret key/value items
// under a path in a namespace, encrypted at rest with the keyring's root key (AES-256-GCM over the
// items JSON; StoredVariable.Data). Writes are `set` or check-and-set (`cas`: the ModifyIndex the
// caller last saw, 0 = "must not exist"); a failed check returns the current variable, which the
// HTTP layer sends with 409 as Nomad does. Lists carry metadata only.
//
// Locks (Nomad 1.7+): `acquireLock` puts a lock (ID, TTL, lock-delay) on a variable, creating it
// if needed and writing the request's items; while it is held, sets and deletes that do not carry
// its ID conflict (409 with an empty variable). `renewLock` re-arms the leader's TTL timer without a
// write; `releaseLock` removes the lock and keeps the items. The lock is stored with the variable,
// so it survives a restart; the timers (variable-locks.ts) are restored from state on leadership.
import { keys } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import type { StoredVariable } from '../state/tables.js';
import { DurationError, formatDuration, parseDuration, type Nanos } from '../structs/duration.js';
import { generateUUID } from '../structs/ids.js';
import { msToNanos } from '../structs/time.js';
import { DEFAULT_LOCK_DELAY, DEFAULT_LOCK_TTL, MAX_LOCK_TTL, MIN_LOCK_TTL, VARIABLE_MAX_SIZE, VARIABLE_PATH_RE, type Variable, type VariableLock, type VariableMetadata } from '../structs/variable.js';
import type { ServerContext } from './context.js';
import { badRequest, conflict, notFound, ServerError } from './errors.js';
import { decrypt, encrypt, Keyring } from './keyring.js';
import { realClock, type Clock } from './periodic.js';
import { del, put, unchanged } from './state-writer.js';
import { LockTimers, type HeldLock } from './variable-locks.js';

/** The result of a write: either done (with the written variable, null for deletes) or a conflict (a failed check-and-set, or a lock held by someone else). */
export type VariableWriteResult = { ok: true; index: number; variable: Variable | VariableMetadata | null } | { ok: false; index: number; conflict: Variable | VariableMetadata };

/** What the HTTP layer hands in for a write: the body's fields, not yet checked. */
export interface VariableWrite {
  Namespace?: string | undefined;
  Path: string;
  Items?: unknown;
  Lock?: unknown;
}

// Nomad's messages for lock operations (nomad/variables_endpoint.go, state_store_variables.go).
const ERR_VAR_NOT_FOUND = "variable doesn't exist";
const ERR_LOCK_NOT_FOUND = "variable doesn't hold a lock";
const ERR_VAR_IS_LOCKED = 'attempting to modify locked variable';
const ERR_MISSING_LOCK_INFO = 'missing lock information';
const ERR_LOCK_ON_SET = 'variable should not contain lock definition';
const ERR_ITEMS_ON_RELEASE = "lock release operation doesn't take variable items";

/** Checks a variable path as Nomad's Variable.Validate does; throws a 400. */
export function validateVariablePath(path: string): void {
  if (path === '') throw badRequest('variable path is required');
  if (!VARIABLE_PATH_RE.test(path)) throw badRequest(`invalid path "${path}": paths are 1-128 characters of letters, digits, "-", "_", "~" and "/"`);
  const parts = path.split('/');
  if (parts[0] !== 'nomad') return;
  if (parts.length === 1) throw badRequest('"nomad" is a reserved top-level directory path, but you may write variables to "nomad/jobs", "nomad/job-templates", or below');
  const second = parts[1] ?? '';
  if (second === 'jobs' || second === 'sentinel') return;
  if (second === 'job-templates' && parts.length === 3 && (parts[2] ?? '') !== '') return;
  throw badRequest('only paths at "nomad/jobs" or "nomad/job-templates" and below are valid paths under the top-level "nomad" directory');
}

/**
 * Checks items: a map of strings whose keys and values add up to at most 64 KiB, non-empty unless
 * `allowEmpty` (a variable created only to hold a lock, Nomad's ValidateForLock).
 */
export function validateVariableItems(items: unknown, allowEmpty = false): Record<string, string> {
  if ((items === null || items === undefined) && allowEmpty) return {};
  if (items === null || items === undefined) throw badRequest('variable missing Items: empty variables are invalid');
  if (typeof items !== 'object' || Array.isArray(items)) throw badRequest('variable Items must be an object of strings');
  const out: Record<string, string> = {};
  let size = 0;
  for (const [k, v] of Object.entries(items as Record<string, unknown>)) {
    if (typeof v !== 'string') throw badRequest(`variable item "${k}" must be a string`);
    if (k === '') throw badRequest('variable item keys must not be empty');
    out[k] = v;
    size += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
  }
  if (Object.keys(out).length === 0 && !allowEmpty) throw badRequest('empty variables are invalid');
  if (size > VARIABLE_MAX_SIZE) throw badRequest(`variables are limited to ${VARIABLE_MAX_SIZE} bytes in total size (this one is ${size} bytes)`);
  return out;
}

/** A lock as a request gives it: an ID and durations (Go syntax or nanoseconds; absent or zero = unset). */
interface LockInput {
  ID: string;
  TTL: Nanos;
  LockDelay: Nanos;
}

function lockDuration(v: unknown, field: string): Nanos {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string') {
    try {
      return parseDuration(v);
    } catch (err) {
      throw badRequest(`variable Lock.${field}: ${err instanceof DurationError ? err.message : String(err)}`);
    }
  }
  throw badRequest(`variable Lock.${field} must be a duration such as "15s" (or nanoseconds)`);
}

/** Reads a request's Lock object; undefined when there is none. */
export function parseLockInput(raw: unknown): LockInput | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('variable Lock must be an object with ID, TTL and LockDelay');
  const r = raw as Record<string, unknown>;
  const id = r['ID'] ?? '';
  if (typeof id !== 'string') throw badRequest('variable Lock.ID must be a string');
  return { ID: id, TTL: lockDuration(r['TTL'], 'TTL'), LockDelay: lockDuration(r['LockDelay'], 'LockDelay') };
}

/** hashicorp/go-multierror's message, which Nomad's lock validation answers with. */
function multiError(errs: string[]): string {
  if (errs.length === 1) return `1 error occurred:\n\t* ${errs[0] ?? ''}\n\n`;
  return `${errs.length} errors occurred:\n\t${errs.map((e) => `* ${e}`).join('\n\t')}\n\n`;
}

/** Nomad's VariableLock.Canonicalize then Validate: a new ID and 15 s defaults; TTL within [10 s, 24 h]. */
export function canonicalLock(input: LockInput | undefined): VariableLock {
  const ttl = input?.TTL || DEFAULT_LOCK_TTL;
  const delay = input?.LockDelay || DEFAULT_LOCK_DELAY;
  const errs: string[] = [];
  if (ttl < 0 || delay < 0) errs.push('Lock delay and TTL must be positive');
  if (ttl > MAX_LOCK_TTL || ttl < MIN_LOCK_TTL) errs.push('TTL must be between 10 seconds and 24 hours');
  if (errs.length > 0) throw badRequest(multiError(errs));
  return { TTL: formatDuration(ttl), LockDelay: formatDuration(delay), ID: input?.ID || generateUUID() };
}

function writeNamespace(ns: string | undefined): string {
  const n = ns === undefined || ns === '' ? 'default' : ns;
  if (n === '*') throw badRequest('a variable must be written to one namespace, not "*"');
  return n;
}

/** The lock a stored variable holds, if any. */
export function storedLock(v: StoredVariable | undefined): VariableLock | undefined {
  const l = v?.Lock as VariableLock | null | undefined;
  return l && typeof l === 'object' && l.ID ? l : undefined;
}

function heldLock(namespace: string, path: string, lock: VariableLock): HeldLock {
  return { namespace, path, id: lock.ID, ttl: parseDuration(lock.TTL || '0'), delay: parseDuration(lock.LockDelay || '0') };
}

export function variableMetadata(v: StoredVariable): VariableMetadata {
  const lock = storedLock(v);
  return { Namespace: v.Namespace, Path: v.Path, ...(lock ? { Lock: lock } : {}), CreateIndex: v.CreateIndex, CreateTime: v.CreateTime, ModifyIndex: v.ModifyIndex, ModifyTime: v.ModifyTime };
}

/** The conflict Nomad answers when a lock stands in the way: an empty variable at that path (nothing leaks). */
function lockedConflict(ns: string, path: string, lock?: VariableLock): VariableMetadata {
  return { Namespace: ns, Path: path, ...(lock ? { Lock: lock } : {}), CreateIndex: 0, CreateTime: 0, ModifyIndex: 0, ModifyTime: 0 };
}

type TxnResult = { conflict: Variable | VariableMetadata | undefined };

const aadOf = (ns: string, path: string): string => `${ns}/${path}`;

export class VariableEndpoints {
  readonly keyring: Keyring;
  /** The leader's lock TTL timers. */
  readonly locks: LockTimers;

  constructor(
    private readonly ctx: ServerContext,
    clock: Clock = realClock,
  ) {
    this.keyring = new Keyring(ctx);
    this.locks = new LockTimers(clock, (lock) => this.releaseExpired(lock), ctx.logger.named('variables'));
  }

  /** On leadership: the lock timers start, one per lock found in state. */
  startLocks(snap: StateSnapshot): void {
    const held: HeldLock[] = [];
    for (const v of snap.variables('*')) {
      const lock = storedLock(v);
      if (lock) held.push(heldLock(v.Namespace, v.Path, lock));
    }
    this.locks.setEnabled(true, held);
  }

  /** One variable, decrypted; undefined when absent. */
  read(snap: StateSnapshot, namespace: string, path: string): Variable | undefined {
    const stored = snap.variable(writeNamespace(namespace), path);
    return stored ? this.decrypt(snap, stored) : undefined;
  }

  /** Metadata of the variables under a prefix (namespace "*" = all), by namespace then path. */
  list(snap: StateSnapshot, namespace: string, prefix: string): VariableMetadata[] {
    const all = snap.variables(namespace === '' ? 'default' : namespace, prefix).map(variableMetadata);
    return all.sort((a, b) => (a.Namespace === b.Namespace ? (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0) : a.Namespace < b.Namespace ? -1 : 1));
  }

  /**
   * `PUT /v1/var/:path` — set, or check-and-set when `cas` is given. A locked variable is written
   * only by a request carrying its lock ID (`Lock: {ID}`), and keeps its lock.
   */
  async put(raw: VariableWrite, cas?: number): Promise<VariableWriteResult> {
    const ns = writeNamespace(raw.Namespace);
    validateVariablePath(raw.Path);
    const lockIn = parseLockInput(raw.Lock);
    if (lockIn && (lockIn.TTL !== 0 || lockIn.LockDelay !== 0)) throw badRequest(ERR_LOCK_ON_SET);
    const items = validateVariableItems(raw.Items);
    if (cas !== undefined && (!Number.isInteger(cas) || cas < 0)) throw badRequest(`invalid cas index ${cas}`);
    return this.write(ns, raw.Path, items, (snap, old) => {
      if (cas !== undefined && (old?.ModifyIndex ?? 0) !== cas) return { conflict: this.conflictValue(snap, ns, raw.Path, old) };
      const held = storedLock(old);
      if (held && held.ID !== lockIn?.ID) return { conflict: lockedConflict(ns, raw.Path) };
      return { lock: held };
    });
  }

  /** `DELETE /v1/var/:path` — delete, or check-and-set delete when `cas` is given. Deleting a missing variable is a no-op; a locked one conflicts. */
  async delete(namespace: string | undefined, path: string, cas?: number): Promise<VariableWriteResult> {
    const ns = writeNamespace(namespace);
    validateVariablePath(path);
    if (cas !== undefined && (!Number.isInteger(cas) || cas < 0)) throw badRequest(`invalid cas index ${cas}`);
    const k = keys.variable(ns, path);
    const committed = await this.ctx.writer.txn<TxnResult>((snap) => {
      const old = snap.variable(ns, path);
      if (cas !== undefined && (old?.ModifyIndex ?? 0) !== cas) return { ops: [], result: { conflict: this.conflictValue(snap, ns, path, old) } };
      if (!old) return { ops: [], result: { conflict: undefined } };
      // Nomad's delete carries no lock ID: a locked variable must be released first.
      if (storedLock(old)) return { ops: [], result: { conflict: lockedConflict(ns, path) } };
      return { ops: [del(k)], compares: [unchanged(k, old.ModifyIndex)], result: { conflict: undefined } };
    });
    if (committed.result.conflict) return { ok: false, index: committed.revision, conflict: committed.result.conflict };
    return { ok: true, index: committed.revision, variable: null };
  }

  /**
   * `PUT /v1/var/:path?lock-acquire` — locks the variable (creating it when missing) and writes the
   * request's items, as Nomad's VarLockAcquire does. A lock held under another ID conflicts; the
   * holder may acquire again (same ID), which restarts its TTL.
   */
  async acquireLock(raw: VariableWrite): Promise<VariableWriteResult> {
    const ns = writeNamespace(raw.Namespace);
    const lock = canonicalLock(parseLockInput(raw.Lock));
    const items = validateVariableItems(raw.Items, true);
    validateVariablePath(raw.Path);
    const r = await this.write(ns, raw.Path, items, (_snap, old) => {
      const held = storedLock(old);
      if (held && held.ID !== lock.ID) return { conflict: lockedConflict(ns, raw.Path) };
      return { lock };
    });
    if (r.ok && r.variable) this.locks.arm(heldLock(ns, raw.Path, lock));
    return r;
  }

  /**
   * `PUT /v1/var/:path?lock-renew` — re-arms the lock's TTL (no write). A lock whose TTL has run out
   * cannot be renewed: it is waiting out its lock-delay before the server releases it.
   */
  renewLock(snap: StateSnapshot, namespace: string | undefined, path: string, lockID: string): { index: number; metadata: VariableMetadata } {
    const ns = writeNamespace(namespace);
    const errs = [...(path === '' ? ['missing path'] : []), ...(lockID === '' ? ['missing lock ID'] : [])];
    if (errs.length > 0) throw badRequest(multiError(errs));
    const v = snap.variable(ns, path);
    if (!v) throw notFound(ERR_VAR_NOT_FOUND);
    const lock = storedLock(v);
    if (!lock) throw conflict(ERR_LOCK_NOT_FOUND);
    if (lock.ID !== lockID || !this.locks.renew(ns, path, lockID)) throw conflict(ERR_VAR_IS_LOCKED);
    return { index: v.ModifyIndex, metadata: variableMetadata(v) };
  }

  /** `PUT /v1/var/:path?lock-release` — removes the lock (items untouched); only its holder may. */
  async releaseLock(raw: VariableWrite): Promise<VariableWriteResult> {
    const ns = writeNamespace(raw.Namespace);
    const lockIn = parseLockInput(raw.Lock);
    if (!lockIn || lockIn.ID === '') throw badRequest(ERR_MISSING_LOCK_INFO);
    if (raw.Items !== undefined && raw.Items !== null) throw badRequest(ERR_ITEMS_ON_RELEASE);
    validateVariablePath(raw.Path);
    const r = await this.unlock(ns, raw.Path, lockIn.ID, true);
    if (r.ok) this.locks.remove(ns, raw.Path, lockIn.ID);
    return r;
  }

  /** Reads one variable or throws a 404 (for callers outside the HTTP layer). */
  get(snap: StateSnapshot, namespace: string, path: string): Variable {
    const v = this.read(snap, namespace, path);
    if (!v) throw notFound('variable not found');
    return v;
  }

  /** The server's release of a lock whose TTL and delay ran out; a no-op when that lock is gone already. */
  private async releaseExpired(lock: HeldLock): Promise<void> {
    try {
      await this.unlock(lock.namespace, lock.path, lock.id, false);
    } catch (err) {
      if (err instanceof ServerError && err.statusCode < 500) return;
      throw err;
    }
  }

  /** Removes lock `id` from a variable, keeping its items, CreateTime and ModifyTime (Nomad's VarLockRelease). */
  private async unlock(ns: string, path: string, id: string, strict: boolean): Promise<VariableWriteResult> {
    const k = keys.variable(ns, path);
    const committed = await this.ctx.writer.txn<TxnResult>((snap) => {
      const old = snap.variable(ns, path);
      if (!old) throw notFound(ERR_VAR_NOT_FOUND);
      const held = storedLock(old);
      if (!held) throw conflict(ERR_LOCK_NOT_FOUND);
      if (held.ID !== id) {
        if (!strict) return { ops: [], result: { conflict: lockedConflict(ns, path) } };
        return { ops: [], result: { conflict: lockedConflict(ns, path, { TTL: '', LockDelay: '', ID: '' }) } };
      }
      const { Lock: _dropped, ...rest } = old;
      const stored: StoredVariable = { ...rest, CreateIndex: 0, ModifyIndex: 0 };
      return { ops: [put(k, stored)], compares: [unchanged(k, old.ModifyIndex)], result: { conflict: undefined } };
    });
    if (committed.result.conflict) return { ok: false, index: committed.revision, conflict: committed.result.conflict };
    const written = committed.snapshot.variable(ns, path);
    return { ok: true, index: committed.revision, variable: written ? variableMetadata(written) : null };
  }

  /**
   * Encrypts and writes items at a path in one transaction; `decide` (run on the transaction's
   * snapshot) either answers a conflict or gives the lock the written variable holds.
   */
  private async write(
    ns: string,
    path: string,
    items: Record<string, string>,
    decide: (snap: StateSnapshot, old: StoredVariable | undefined) => { conflict: Variable | VariableMetadata } | { lock: VariableLock | undefined },
  ): Promise<VariableWriteResult> {
    const key = await this.keyring.activeKey();
    const plaintext = Buffer.from(JSON.stringify(items), 'utf8');
    const k = keys.variable(ns, path);
    const committed = await this.ctx.writer.txn<TxnResult>((snap) => {
      const old = snap.variable(ns, path);
      const d = decide(snap, old);
      if ('conflict' in d) return { ops: [], result: { conflict: d.conflict } };
      const now = msToNanos(this.ctx.now());
      const stored: StoredVariable = {
        Namespace: ns,
        Path: path,
        ...(d.lock ? { Lock: d.lock } : {}),
        CreateIndex: 0,
        ModifyIndex: 0,
        CreateTime: old?.CreateTime ?? now,
        ModifyTime: now,
        KeyID: key.id,
        Data: encrypt(key, plaintext, aadOf(ns, path)),
      };
      return { ops: [put(k, stored)], compares: [unchanged(k, old?.ModifyIndex ?? 0)], result: { conflict: undefined } };
    });
    if (committed.result.conflict) return { ok: false, index: committed.revision, conflict: committed.result.conflict };
    const written = committed.snapshot.variable(ns, path);
    return { ok: true, index: committed.revision, variable: written ? this.decrypt(committed.snapshot, written) : null };
  }

  /** What a failed check-and-set answers with: the current variable, or an empty one at that path when there is none. */
  private conflictValue(snap: StateSnapshot, ns: string, path: string, old: StoredVariable | undefined): Variable | VariableMetadata {
    if (old) return this.decrypt(snap, old);
    return { Namespace: ns, Path: path, CreateIndex: 0, CreateTime: 0, ModifyIndex: 0, ModifyTime: 0 };
  }

  private decrypt(snap: StateSnapshot, stored: StoredVariable): Variable {
    const key = this.keyring.keyByID(snap, stored.KeyID);
    const items = JSON.parse(decrypt(key, stored.Data, aadOf(stored.Namespace, stored.Path)).toString('utf8')) as Record<string, string>;
    return { ...variableMetadata(stored), Items: items };
  }
}
