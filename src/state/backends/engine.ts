// The storage contract beneath the embedded backends: a synchronous, log-structured record of
// every change (the kine layout), which log-store.ts turns into the KV interface. An engine owns
// durability and indexing of rows; it must never evaluate transactions, fire timers or know about
// watchers — that logic lives once, in log-store.ts, for every engine.
//
// Compaction rule (both engines): compact(C) removes a row iff its revision < C and it is either
// a tombstone or superseded by a later row of the same key with revision <= C. So the state at C
// and every row at revision >= C survive.
import type { KeyBounds } from '../keys.js';

/** One change to one key at one revision. */
export interface LogRow {
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
  /** 0 for a tombstone. */
  readonly createRevision: number;
  /** 0 for a tombstone. */
  readonly version: number;
  /** 0 when no lease is attached. */
  readonly lease: number;
  readonly deleted: boolean;
  /** Revision of the live row this one replaced or deleted; 0 if the key did not exist. */
  readonly prevRevision: number;
}

export interface StoredLease {
  readonly id: number;
  readonly ttl: number;
}

export interface Commit {
  /** The new revision; equal to the current one when `rows` is empty (lease-only change). */
  readonly revision: number;
  readonly rows: readonly LogRow[];
  readonly revokedLeases: readonly number[];
}

export interface LogEngine {
  /** Last committed revision (0 for an empty store). */
  revision(): number;
  /** Revision passed to the last compaction (0 if never compacted). */
  compactRevision(): number;
  /** Latest row of `key` (maybe a tombstone), or undefined. */
  latest(key: string): LogRow | undefined;
  /** The row of `key` written at exactly `revision`, if it is still stored. */
  rowAt(key: string, revision: number): LogRow | undefined;
  /** Live rows in `bounds` as of `revision`, by key order; at most `limit` rows (0: all) and the total count. */
  range(bounds: KeyBounds, revision: number, limit: number): { rows: LogRow[]; count: number };
  /** Rows with from <= revision <= to inside `bounds`, in commit order. */
  history(from: number, to: number, bounds: KeyBounds): LogRow[];
  /** Durably and atomically apply one transaction's changes. */
  commit(commit: Commit): void;
  /** Allocate and durably record a new lease. */
  grantLease(ttl: number): StoredLease;
  leases(): StoredLease[];
  compact(revision: number): void;
  close(): void;
}
