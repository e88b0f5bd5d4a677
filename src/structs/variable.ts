// Variables (`/v1/var/:path`): secret key/value items stored under a path in a namespace, and the
// lock a variable may hold (Nomad 1.7+ variable locks: `?lock-acquire|lock-renew|lock-release`).
import { HOUR, SECOND, type Nanos } from './duration.js';
import type { UnixNanos } from './time.js';

/**
 * A variable's lock as Nomad's JSON carries it: durations in Go syntax ("15s"), "" when zero.
 * The server fills ID (a UUID), TTL and LockDelay when a lock is acquired without them.
 */
export interface VariableLock {
  ID: string;
  TTL: string;
  LockDelay: string;
}

export interface VariableMetadata {
  Namespace: string;
  Path: string;
  Lock?: VariableLock | null;
  CreateIndex: number;
  CreateTime: UnixNanos;
  ModifyIndex: number;
  ModifyTime: UnixNanos;
}

export interface Variable extends VariableMetadata {
  Items: Record<string, string>;
}

export const VARIABLE_PATH_RE = /^[a-zA-Z0-9-_~/]{1,128}$/;
export const VARIABLE_MAX_SIZE = 64 * 1024;

/** Nomad's lock defaults and TTL bounds (nomad/structs/variables.go). */
export const DEFAULT_LOCK_TTL: Nanos = 15 * SECOND;
export const DEFAULT_LOCK_DELAY: Nanos = 15 * SECOND;
export const MIN_LOCK_TTL: Nanos = 10 * SECOND;
export const MAX_LOCK_TTL: Nanos = 24 * HOUR;
