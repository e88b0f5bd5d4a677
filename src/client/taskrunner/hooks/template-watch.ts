// The dependency watcher of one task's templates (consul-template's watcher and views): one loop
// per distinct dependency, shared by every template of the task, each a blocking query on the
// dependency's endpoint with the last index it saw. When the data changes the loop stores it in
// the data source and reports the key; the template manager re-renders. Requests stay modest: a
// query that comes back without a newer index (timed out, or an endpoint that does not block) is
// followed by a pause, and errors back off exponentially. Every loop stops with stop().
import { errorMessage } from '../../async.js';
import type { Logger } from '../../../structs/logger.js';
import { dependencyKey, type DependencyValue, type TemplateDataSource, type TemplateDependency } from './template-data.js';

/** consul-template's default block_query_wait. */
export const DEFAULT_BLOCK_QUERY_WAIT_MS = 60_000;
/** The least time between two queries of one dependency that brought nothing newer. */
export const DEFAULT_MIN_QUERY_INTERVAL_MS = 1_000;
export const DEFAULT_RETRY_BASE_MS = 1_000;
export const DEFAULT_RETRY_MAX_MS = 30_000;

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface DependencyWatcherOptions {
  source: TemplateDataSource;
  /** Called with the key of a dependency whose data changed (the data is already stored). */
  onChange: (key: string) => void;
  logger: Logger;
  sleep: Sleep;
  blockQueryWaitMs?: number;
  minQueryIntervalMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

function sameValue(a: DependencyValue | undefined, b: DependencyValue): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

export class DependencyWatcher {
  private readonly loops = new Map<string, { ctl: AbortController; done: Promise<void> }>();
  private stopped = false;

  constructor(private readonly opts: DependencyWatcherOptions) {}

  /** The keys being watched. */
  watching(): string[] {
    return [...this.loops.keys()];
  }

  /** Watches exactly `deps`: starts a loop for each new one, stops the ones no longer used. */
  sync(deps: ReadonlyMap<string, TemplateDependency>): void {
    if (this.stopped) return;
    for (const [key, loop] of this.loops) {
      if (deps.has(key)) continue;
      loop.ctl.abort();
      this.loops.delete(key);
    }
    for (const [key, dep] of deps) {
      if (this.loops.has(key)) continue;
      const ctl = new AbortController();
      const done = this.watch(key, dep, ctl.signal).catch((err: unknown) => this.opts.logger.error('template dependency watch failed', { dependency: key, error: errorMessage(err) }));
      this.loops.set(key, { ctl, done });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const loops = [...this.loops.values()];
    this.loops.clear();
    for (const l of loops) l.ctl.abort();
    await Promise.all(loops.map((l) => l.done));
  }

  private async watch(key: string, dep: TemplateDependency, signal: AbortSignal): Promise<void> {
    const o = this.opts;
    const waitMs = o.blockQueryWaitMs ?? DEFAULT_BLOCK_QUERY_WAIT_MS;
    const pauseMs = o.minQueryIntervalMs ?? DEFAULT_MIN_QUERY_INTERVAL_MS;
    const retryBase = o.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    const retryMax = o.retryMaxMs ?? DEFAULT_RETRY_MAX_MS;
    if (dependencyKey(dep) !== key) throw new Error(`dependency key ${key} does not match its dependency`);
    let index = 0;
    let failures = 0;
    while (!signal.aborted) {
      let res;
      try {
        res = await o.source.fetch(dep, { index, waitMs, signal });
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        const delay = Math.min(retryMax, retryBase * 2 ** failures);
        failures++;
        o.logger.warn('watching template data failed; will retry', { dependency: key, error: errorMessage(err), retry_in_ms: delay });
        await o.sleep(delay, signal);
        continue;
      }
      if (signal.aborted) return;
      const advanced = res.index > index;
      // An index that went backwards (a restored server) starts over, as consul-template does.
      index = res.index < index ? 0 : res.index;
      if (!sameValue(o.source.cached(key), res.value)) {
        o.source.store(key, dep, res.value);
        o.onChange(key);
      }
      if (!advanced || index === 0) await o.sleep(pauseMs, signal);
    }
  }
}
