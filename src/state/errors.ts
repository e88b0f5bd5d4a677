// Typed errors of the revisioned KV store (kv.ts). Callers branch on the class (`instanceof`),
// never on message text; the HTTP layer maps them to statuses. This module owns only the error
// vocabulary; it must never carry backend-specific detail that a caller would need to parse.

/** Base class of every error the store raises on purpose. */
export class KvError extends Error {
  override name = 'KvError';
}

/** The requested revision's history is gone (reads below, or watches from before, it). */
export class CompactedError extends KvError {
  override name = 'CompactedError';
  constructor(
    readonly requestedRevision: number,
    readonly compactRevision: number,
  ) {
    super(`revision ${requestedRevision} has been compacted (compacted through ${compactRevision})`);
  }
}

/** A read or compaction asked for a revision the store has not reached yet. */
export class FutureRevisionError extends KvError {
  override name = 'FutureRevisionError';
  constructor(
    readonly requestedRevision: number,
    readonly currentRevision: number,
  ) {
    super(`revision ${requestedRevision} is in the future (current revision ${currentRevision})`);
  }
}

/** The lease does not exist: never granted, revoked, or expired. */
export class LeaseNotFoundError extends KvError {
  override name = 'LeaseNotFoundError';
  constructor(readonly leaseId: number) {
    super(`lease ${leaseId} not found`);
  }
}

/** The store was closed; no further calls are served and watchers end with this error. */
export class StoreClosedError extends KvError {
  override name = 'StoreClosedError';
  constructor() {
    super('the key-value store is closed');
  }
}

/** A request the store refuses as malformed (bad key, duplicate key in one txn, bad TTL…). */
export class InvalidRequestError extends KvError {
  override name = 'InvalidRequestError';
}

/** A watcher's consumer fell behind by more than the buffer bound; the watch was cancelled. */
export class WatchOverflowError extends KvError {
  override name = 'WatchOverflowError';
  constructor(readonly limit: number) {
    super(`watch cancelled: consumer fell behind by more than ${limit} buffered events`);
  }
}
