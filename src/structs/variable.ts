// Variables (`/v1/var/:path`): secret key/value items stored under a path in a namespace.
import type { UnixNanos } from './time.js';

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
