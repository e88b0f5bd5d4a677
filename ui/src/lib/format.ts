// Formatting shared by every page: IDs, times (Nomad sends nanoseconds or RFC 3339), sizes.

export const shortId = (id: string): string => id.slice(0, 8);

/** Nanoseconds since the epoch, or an RFC 3339 string, as a Date (undefined for Go's zero time). */
export function toDate(t: number | string | null | undefined): Date | undefined {
  if (t === null || t === undefined || t === 0 || t === '') return undefined;
  const d = typeof t === 'number' ? new Date(t / 1e6) : new Date(t);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1) return undefined;
  return d;
}

export function formatTime(t: number | string | null | undefined): string {
  const d = toDate(t);
  if (!d) return '–';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function ago(t: number | string | null | undefined, now = Date.now()): string {
  const d = toDate(t);
  if (!d) return '–';
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < -1) return `in ${duration(-s)}`;
  if (s < 2) return 'just now';
  return `${duration(s)} ago`;
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${seconds % 60 ? ` ${seconds % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? ` ${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? ` ${h % 24}h` : ''}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function mib(n: number): string {
  return n >= 1024 ? `${(n / 1024).toFixed(n % 1024 ? 1 : 0)} GiB` : `${n} MiB`;
}

export function mhz(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)} GHz` : `${n} MHz`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The job type as Nomad's UI names it: batch/periodic, batch/parameterized. */
export function jobTypeLabel(j: { Type: string; Periodic: unknown; ParameterizedJob: unknown }): string {
  const periodic = j.Periodic === true || (typeof j.Periodic === 'object' && j.Periodic !== null);
  const param = j.ParameterizedJob === true || (typeof j.ParameterizedJob === 'object' && j.ParameterizedJob !== null);
  if (periodic) return `${j.Type}/periodic`;
  if (param) return `${j.Type}/parameterized`;
  return j.Type;
}
