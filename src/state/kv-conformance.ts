// The one conformance suite every KV backend passes (house style §5). A backend's test file calls
// runKvConformance with a function that opens a fresh, empty store on the given clock. This module
// owns the behavioural contract of kv.ts as executable tests; it must never import a backend.
import { describe } from 'node:test';
import { basicTests } from './conformance/basics.js';
import type { OpenKv } from './conformance/harness.js';
import { leaseTests } from './conformance/leases.js';
import { persistenceTests } from './conformance/persistence.js';
import { txnTests } from './conformance/txn.js';
import { watchTests } from './conformance/watch.js';

export type { KvHarness, KvTestEnv, OpenKv } from './conformance/harness.js';

export function runKvConformance(name: string, open: OpenKv): void {
  void describe(`KV conformance: ${name}`, () => {
    void describe('revisions, reads and compaction', () => basicTests(open));
    void describe('transactions', () => txnTests(open));
    void describe('watch', () => watchTests(open));
    void describe('leases', () => leaseTests(open));
    void describe('persistence', () => persistenceTests(open));
  });
}
