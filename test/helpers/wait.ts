// Polling helpers shared by the tests that drive real agents: wait for a condition, for the dev
// agent's own node to be ready, for a job's only allocation to reach a state.
import type { RoamApi } from '../../src/api/index.js';
import type { Allocation } from '../../src/structs/alloc.js';

/** Polls `fn` every `pollMs` until it returns something other than undefined/false; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, pollMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** A dev agent's single client node is registered, ready, and has a healthy raw_exec driver. */
export async function waitForReadyNode(api: RoamApi): Promise<void> {
  await waitFor('node ready', async () => {
    const nodes = (await api.nodes.list()).data;
    return nodes.length === 1 && nodes[0]?.Status === 'ready' && nodes[0].Drivers['raw_exec']?.Healthy ? true : undefined;
  });
}

/** The job's only allocation, once `ok` holds for it. */
export async function onlyAlloc(api: RoamApi, job: string, ok: (a: Allocation) => boolean): Promise<Allocation> {
  return waitFor(`${job} alloc`, async () => {
    const stubs = (await api.jobs.allocations(job, true)).data;
    if (stubs.length !== 1 || !stubs[0]) return undefined;
    const a = (await api.allocations.info(stubs[0].ID)).data;
    return ok(a) ? a : undefined;
  });
}
