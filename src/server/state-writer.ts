// The server's only way to change state: build a KV transaction from a snapshot, commit it, and
// wait until the state cache has applied it (read-your-writes). Writes are serialized; when a
// transaction's compares fail (someone else changed a key it read), it is rebuilt from a fresh
// snapshot and tried again.
import { compare as cmp, op, type Compare, type KV, type Op } from '../state/kv.js';
import { encode } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import type { StateStore } from '../state/state-store.js';
import { Mutex } from './mutex.js';

export interface TxnPlan<T> {
  ops: Op[];
  compares?: Compare[];
  result: T;
}

export interface Committed<T> {
  revision: number;
  snapshot: StateSnapshot;
  result: T;
}

export class WriteConflictError extends Error {}

export class StateWriter {
  private readonly mutex = new Mutex();

  constructor(
    private readonly kv: KV,
    private readonly store: StateStore,
  ) {}

  /**
   * Runs `build` on the latest snapshot and commits what it returns. A build that returns no ops
   * commits nothing and resolves with the current revision.
   */
  async txn<T>(build: (snap: StateSnapshot) => TxnPlan<T> | Promise<TxnPlan<T>>, attempts = 5): Promise<Committed<T>> {
    return this.mutex.run(async () => {
      for (let i = 0; i < attempts; i++) {
        const snap = this.store.snapshot();
        const plan = await build(snap);
        if (plan.ops.length === 0) return { revision: snap.revision, snapshot: snap, result: plan.result };
        const res = await this.kv.txn({ compare: plan.compares ?? [], success: plan.ops });
        if (!res.succeeded) {
          await this.store.waitForRevision(res.revision, { timeoutMs: 5000 });
          continue;
        }
        const after = await this.store.waitForRevision(res.revision);
        return { revision: res.revision, snapshot: after, result: plan.result };
      }
      throw new WriteConflictError(`state changed concurrently ${attempts} times while writing; try again`);
    });
  }
}

export const put = (key: string, value: unknown): Op => op.put(key, encode(value));
export const del = (key: string): Op => op.delete(key);
/** Compare: the key is unchanged since the snapshot (mod revision equal; 0 = absent). */
export const unchanged = (key: string, modRevision: number): Compare => cmp.modRevision(key, '=', modRevision);
