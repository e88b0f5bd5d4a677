// Nomad Variables (nomad/variables_endpoint.go, state_store_variables.go): secret key/value items
// under a path in a namespace, encrypted at rest with the keyring's root key (AES-256-GCM over the
// items JSON; StoredVariable.Data). Writes are `set` or check-and-set (`cas`: the ModifyIndex the
// caller last saw, 0 = "must not exist"); a failed check returns the current variable, which the
// HTTP layer sends with 409 as Nomad does. Lists carry metadata only.
import { keys } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import type { StoredVariable } from '../state/tables.js';
import { msToNanos } from '../structs/time.js';
import { VARIABLE_MAX_SIZE, VARIABLE_PATH_RE, type Variable, type VariableLock, type VariableMetadata } from '../structs/variable.js';
import type { ServerContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import { decrypt, encrypt, Keyring } from './keyring.js';
import { del, put, unchanged } from './state-writer.js';

/** The result of a write: either done (with the written variable, null for deletes) or a failed check-and-set. */
export type VariableWriteResult = { ok: true; index: number; variable: Variable | null } | { ok: false; index: number; conflict: Variable | VariableMetadata };

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

/** Checks items: a non-empty map of strings whose keys and values add up to at most 64 KiB. */
export function validateVariableItems(items: unknown): Record<string, string> {
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
  if (Object.keys(out).length === 0) throw badRequest('empty variables are invalid');
  if (size > VARIABLE_MAX_SIZE) throw badRequest(`variables are limited to ${VARIABLE_MAX_SIZE} bytes in total size (this one is ${size} bytes)`);
  return out;
}

function writeNamespace(ns: string | undefined): string {
  const n = ns === undefined || ns === '' ? 'default' : ns;
  if (n === '*') throw badRequest('a variable must be written to one namespace, not "*"');
  return n;
}

export function variableMetadata(v: StoredVariable): VariableMetadata {
  return { Namespace: v.Namespace, Path: v.Path, ...(v.Lock ? { Lock: v.Lock as VariableLock } : {}), CreateIndex: v.CreateIndex, CreateTime: v.CreateTime, ModifyIndex: v.ModifyIndex, ModifyTime: v.ModifyTime };
}

type TxnResult = { conflict: Variable | VariableMetadata | undefined };

const aadOf = (ns: string, path: string): string => `${ns}/${path}`;

export class VariableEndpoints {
  readonly keyring: Keyring;

  constructor(private readonly ctx: ServerContext) {
    this.keyring = new Keyring(ctx);
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

  /** `PUT /v1/var/:path` — set, or check-and-set when `cas` is given. */
  async put(raw: { Namespace?: string; Path: string; Items: unknown }, cas?: number): Promise<VariableWriteResult> {
    const ns = writeNamespace(raw.Namespace);
    validateVariablePath(raw.Path);
    const items = validateVariableItems(raw.Items);
    if (cas !== undefined && (!Number.isInteger(cas) || cas < 0)) throw badRequest(`invalid cas index ${cas}`);
    const key = await this.keyring.activeKey();
    const plaintext = Buffer.from(JSON.stringify(items), 'utf8');
    const k = keys.variable(ns, raw.Path);
    const committed = await this.ctx.writer.txn<TxnResult>((snap) => {
      const old = snap.variable(ns, raw.Path);
      if (cas !== undefined && (old?.ModifyIndex ?? 0) !== cas) return { ops: [], result: { conflict: this.conflictValue(snap, ns, raw.Path, old) } };
      const now = msToNanos(this.ctx.now());
      const stored: StoredVariable = {
        Namespace: ns,
        Path: raw.Path,
        CreateIndex: 0,
        ModifyIndex: 0,
        CreateTime: old?.CreateTime ?? now,
        ModifyTime: now,
        KeyID: key.id,
        Data: encrypt(key, plaintext, aadOf(ns, raw.Path)),
      };
      return { ops: [put(k, stored)], compares: [unchanged(k, old?.ModifyIndex ?? 0)], result: { conflict: undefined } };
    });
    if (committed.result.conflict) return { ok: false, index: committed.revision, conflict: committed.result.conflict };
    const written = committed.snapshot.variable(ns, raw.Path);
    return { ok: true, index: committed.revision, variable: written ? this.decrypt(committed.snapshot, written) : null };
  }

  /** `DELETE /v1/var/:path` — delete, or check-and-set delete when `cas` is given. Deleting a missing variable is a no-op. */
  async delete(namespace: string | undefined, path: string, cas?: number): Promise<VariableWriteResult> {
    const ns = writeNamespace(namespace);
    validateVariablePath(path);
    if (cas !== undefined && (!Number.isInteger(cas) || cas < 0)) throw badRequest(`invalid cas index ${cas}`);
    const k = keys.variable(ns, path);
    const committed = await this.ctx.writer.txn<TxnResult>((snap) => {
      const old = snap.variable(ns, path);
      if (cas !== undefined && (old?.ModifyIndex ?? 0) !== cas) return { ops: [], result: { conflict: this.conflictValue(snap, ns, path, old) } };
      if (!old) return { ops: [], result: { conflict: undefined } };
      return { ops: [del(k)], compares: [unchanged(k, old.ModifyIndex)], result: { conflict: undefined } };
    });
    if (committed.result.conflict) return { ok: false, index: committed.revision, conflict: committed.result.conflict };
    return { ok: true, index: committed.revision, variable: null };
  }

  /** Reads one variable or throws a 404 (for callers outside the HTTP layer). */
  get(snap: StateSnapshot, namespace: string, path: string): Variable {
    const v = this.read(snap, namespace, path);
    if (!v) throw notFound('variable not found');
    return v;
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
