// The revisioned key-value store every piece of server state lives in (ARCHITECTURE.md,
// "State"). This module owns the contract only: types, the KV interface and the builders for
// transaction compares and ops. It is shaped after etcd v3 (KeyValue, Txn, Watch, Lease) so an
// etcd backend can implement it directly; it must never expose anything a backend-neutral caller
// could not get from etcd too.
//
// Semantics every backend keeps (and kv-conformance.ts checks):
// - Every write transaction that changes at least one key gets the next global revision (first
//   write = 1); all its changes share that revision. Reads and no-op deletes do not bump it.
// - Keys are non-empty, well-formed strings ordered by code point (keys.ts). Values are strings
//   (the server stores JSON).
// - A missing key compares with createRevision/modRevision/version/lease 0; a `value` compare on
//   a missing key is always false (as etcd).
// - One transaction branch may not put the same key twice, nor put a key one of its deletes
//   covers (etcd rejects these too): InvalidRequestError. Ops run in order; a read after a write
//   in the same branch sees the write.
// - compact(C) keeps the state at C and all history after it: reads at revision >= C and watches
//   from revision >= C work; anything earlier throws CompactedError.

export {
  CompactedError,
  FutureRevisionError,
  InvalidRequestError,
  KvError,
  LeaseNotFoundError,
  StoreClosedError,
  WatchOverflowError,
} from './errors.js';

export type Revision = number;
/** A lease ID; 0 means "no lease", as in etcd. */
export type LeaseId = number;

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision of the put that created this key (since its last delete). */
  readonly createRevision: Revision;
  /** Revision of the last put to this key. */
  readonly modRevision: Revision;
  /** Number of puts since creation; 1 for a new key. */
  readonly version: number;
  readonly lease?: LeaseId;
}

/** One key, every key under a prefix (`''` = all keys), or the half-open interval [start, end). */
export type KeyRange = { readonly key: string } | { readonly prefix: string } | { readonly start: string; readonly end?: string };

export interface RangeOptions {
  /** At most this many kvs (0 or absent: no limit). `more` tells whether some were left off. */
  readonly limit?: number;
  /** Read the state as of this revision (absent or 0: current). */
  readonly revision?: Revision;
  /** Return kvs with empty values. */
  readonly keysOnly?: boolean;
  /** Return no kvs, only `count`. */
  readonly countOnly?: boolean;
}

export interface RangeResult {
  readonly kvs: readonly KeyValue[];
  /** Number of keys in the range (ignores `limit`). */
  readonly count: number;
  readonly more: boolean;
  /** The store's revision when the read was served. */
  readonly revision: Revision;
}

export type CompareOperator = '=' | '!=' | '<' | '>';
export type Compare =
  | { readonly key: string; readonly target: 'createRevision' | 'modRevision' | 'version' | 'lease'; readonly op: CompareOperator; readonly value: number }
  | { readonly key: string; readonly target: 'value'; readonly op: CompareOperator; readonly value: string };

export interface PutOptions {
  readonly lease?: LeaseId;
  /** Return the key's previous kv, if it existed. */
  readonly prevKv?: boolean;
}
export interface DeleteOptions {
  readonly prevKv?: boolean;
}

export type Op =
  | { readonly type: 'put'; readonly key: string; readonly value: string; readonly options?: PutOptions }
  | { readonly type: 'delete'; readonly range: KeyRange; readonly options?: DeleteOptions }
  | { readonly type: 'range'; readonly range: KeyRange; readonly options?: RangeOptions };

export interface PutResult {
  readonly revision: Revision;
  readonly prevKv?: KeyValue;
}
export interface DeleteResult {
  readonly revision: Revision;
  readonly deleted: number;
  readonly prevKvs?: readonly KeyValue[];
}
export type OpResult =
  | ({ readonly type: 'put' } & Omit<PutResult, 'revision'>)
  | ({ readonly type: 'delete' } & Omit<DeleteResult, 'revision'>)
  | ({ readonly type: 'range' } & RangeResult);

export interface TxnRequest {
  readonly compare?: readonly Compare[];
  readonly success?: readonly Op[];
  readonly failure?: readonly Op[];
}
export interface TxnResult {
  /** Whether every compare held (and the success branch ran). */
  readonly succeeded: boolean;
  /** The store's revision after the transaction (unchanged if it wrote nothing). */
  readonly revision: Revision;
  /** One result per op of the branch that ran, in order. */
  readonly results: readonly OpResult[];
}

export interface WatchEvent {
  readonly type: 'put' | 'delete';
  /** For a delete: `{key, value: '', createRevision: 0, modRevision: <delete revision>, version: 0}`. */
  readonly kv: KeyValue;
  /** The kv before this change, when the watch asked for it and the key existed. */
  readonly prevKv?: KeyValue;
}

/** All events of one transaction that fall in the watched range. */
export interface WatchBatch {
  readonly revision: Revision;
  readonly events: readonly WatchEvent[];
}

export interface WatchOptions {
  /** First revision to deliver (absent: the next write). Below the compacted revision: CompactedError. */
  readonly fromRevision?: Revision;
  readonly prevKv?: boolean;
}

/**
 * Batches in revision order with no gaps. Iteration ends normally after `close()`, and throws the
 * cancelling error otherwise (CompactedError, WatchOverflowError, StoreClosedError).
 */
export interface Watcher extends AsyncIterable<WatchBatch> {
  close(): void;
}

export interface Lease {
  readonly id: LeaseId;
  /** Granted time-to-live in seconds. */
  readonly ttl: number;
}

export interface KV {
  get(key: string, options?: { readonly revision?: Revision }): Promise<KeyValue | undefined>;
  range(range: KeyRange, options?: RangeOptions): Promise<RangeResult>;
  txn(request: TxnRequest): Promise<TxnResult>;
  put(key: string, value: string, options?: PutOptions): Promise<PutResult>;
  delete(range: string | KeyRange, options?: DeleteOptions): Promise<DeleteResult>;
  /** Synchronously registered: no write made after this call returns is missed. */
  watch(range: KeyRange, options?: WatchOptions): Watcher;
  grantLease(ttlSeconds: number): Promise<Lease>;
  /** Restart the lease's TTL. LeaseNotFoundError if it is gone. */
  keepAlive(id: LeaseId): Promise<Lease>;
  /** Delete the lease and, in one revision, every key attached to it. */
  revokeLease(id: LeaseId): Promise<void>;
  currentRevision(): Promise<Revision>;
  /** Drop history before `revision` (see header). At or below the compacted revision: CompactedError. */
  compact(revision: Revision): Promise<void>;
  /** Stop timers, cancel watchers (StoreClosedError), release handles. Idempotent. */
  close(): Promise<void>;
}

/** Builders for transaction compares: `compare.version('/k', '=', 0)`. */
export const compare = {
  createRevision: (key: string, op: CompareOperator, value: number): Compare => ({ key, target: 'createRevision', op, value }),
  modRevision: (key: string, op: CompareOperator, value: number): Compare => ({ key, target: 'modRevision', op, value }),
  version: (key: string, op: CompareOperator, value: number): Compare => ({ key, target: 'version', op, value }),
  lease: (key: string, op: CompareOperator, value: LeaseId): Compare => ({ key, target: 'lease', op, value }),
  value: (key: string, op: CompareOperator, value: string): Compare => ({ key, target: 'value', op, value }),
};

/** Builders for transaction ops. A string names one key. */
export const op = {
  put: (key: string, value: string, options?: PutOptions): Op => (options ? { type: 'put', key, value, options } : { type: 'put', key, value }),
  delete: (range: string | KeyRange, options?: DeleteOptions): Op =>
    options ? { type: 'delete', range: toRange(range), options } : { type: 'delete', range: toRange(range) },
  get: (key: string, options?: RangeOptions): Op => (options ? { type: 'range', range: { key }, options } : { type: 'range', range: { key } }),
  range: (range: KeyRange, options?: RangeOptions): Op => (options ? { type: 'range', range, options } : { type: 'range', range }),
};

export function toRange(range: string | KeyRange): KeyRange {
  return typeof range === 'string' ? { key: range } : range;
}
