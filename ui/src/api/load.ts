// One-shot reads for endpoints that do not block (job versions, stats): fetched when the URL or
// `key` changes (for example the job's version, which the page already watches live).
import { useEffect, useState } from 'react';
import { ApiError, get } from './client';

export interface LoadState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
}

export function useLoad<T>(url: string | null, key: unknown = 0): LoadState<T> {
  const [state, setState] = useState<LoadState<T>>({ data: undefined, error: undefined, loading: url !== null });
  useEffect(() => {
    if (url === null) return undefined;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    get<T>(url, controller.signal).then(
      (r) => setState({ data: r.data, error: undefined, loading: false }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ data: s.data, error: err instanceof ApiError ? err : new ApiError(0, String(err), url), loading: false }));
      },
    );
    return () => controller.abort();
  }, [url, key]);
  return state;
}

/** useLoad again every `ms` while mounted, for endpoints without blocking queries (members). */
export function usePoll<T>(url: string | null, ms: number): LoadState<T> {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return useLoad<T>(url, tick);
}
