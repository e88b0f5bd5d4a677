// Times as Nomad's JSON carries them. Nomad mixes three encodings and Roam matches each field:
//  - UnixNanos: int64 nanoseconds since the epoch (Job.SubmitTime, Evaluation/Allocation
//    CreateTime and ModifyTime, TaskEvent.Time). JavaScript numbers hold these to ~256 ns, which
//    is finer than any clock Roam reads (milliseconds), so values made with nowNanos() are exact.
//  - RFC 3339 strings (Go time.Time): TaskState.StartedAt/FinishedAt/LastRestart,
//    Evaluation.WaitUntil, NodeEvent.Timestamp; the zero time is "0001-01-01T00:00:00Z".
//  - Unix seconds: Node.StatusUpdatedAt.

export type UnixNanos = number;
/** A Go time.Time in JSON: RFC 3339 with nanoseconds. */
export type GoTime = string;

export const ZERO_TIME: GoTime = '0001-01-01T00:00:00Z';

export function msToNanos(ms: number): UnixNanos {
  return ms * 1_000_000;
}

export function nanosToMs(ns: UnixNanos): number {
  return Math.floor(ns / 1_000_000);
}

/** Formats epoch milliseconds as Go marshals time.Time (UTC, trailing zeros of the fraction dropped). */
export function goTime(ms: number): GoTime {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  return iso.replace(/\.(\d+)Z$/, (_m, frac: string) => {
    const trimmed = frac.replace(/0+$/, '');
    return trimmed ? `.${trimmed}Z` : 'Z';
  });
}

/** Parses a Go time.Time string to epoch milliseconds; the zero time and unparseable input give 0. */
export function parseGoTime(t: GoTime | undefined | null): number {
  if (!t || t.startsWith('0001-01-01')) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

export function isZeroTime(t: GoTime | undefined | null): boolean {
  return parseGoTime(t) === 0;
}
