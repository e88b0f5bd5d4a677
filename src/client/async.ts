// Small async building blocks the client's loops share: a one-shot latch, an abortable sleep, and
// racing a promise against abort signals. Every wait here ends when its signal aborts, so the
// owner's stop() never hangs on a timer.

/** A one-shot latch: open() once, wait() as often as needed. */
export class Latch {
  private opened = false;
  private resolveFn: () => void = () => undefined;
  readonly promise: Promise<void>;
  constructor() {
    this.promise = new Promise<void>((r) => (this.resolveFn = r));
  }
  open(): void {
    if (this.opened) return;
    this.opened = true;
    this.resolveFn();
  }
  get isOpen(): boolean {
    return this.opened;
  }
}

/** Resolves 'timeout' after ms, or 'aborted' as soon as any signal aborts (the timer is cleared). */
export function sleep(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<'timeout' | 'aborted'> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  if (live.some((s) => s.aborted)) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const done = (v: 'timeout' | 'aborted'): void => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const onAbort = (): void => done('aborted');
    const timer = setTimeout(() => done('timeout'), Math.max(0, ms));
    for (const s of live) s.addEventListener('abort', onAbort, { once: true });
  });
}

export type Raced<T> = { kind: 'value'; value: T } | { kind: 'aborted'; index: number };

/** Waits for `p` or for the first of `signals` to abort, whichever comes first (the promise keeps running). */
export function race<T>(p: Promise<T>, ...signals: AbortSignal[]): Promise<Raced<T>> {
  const first = signals.findIndex((s) => s.aborted);
  if (first >= 0) {
    p.catch(() => undefined);
    return Promise.resolve({ kind: 'aborted', index: first });
  }
  return new Promise((resolve, reject) => {
    const listeners: (() => void)[] = [];
    const cleanup = (): void => signals.forEach((s, i) => s.removeEventListener('abort', listeners[i] ?? (() => undefined)));
    signals.forEach((s, index) => {
      const l = (): void => {
        cleanup();
        resolve({ kind: 'aborted', index });
      };
      listeners.push(l);
      s.addEventListener('abort', l, { once: true });
    });
    p.then(
      (value) => {
        cleanup();
        resolve({ kind: 'value', value });
      },
      (err: unknown) => {
        cleanup();
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
