// Output helpers in Nomad's CLI style: columnized lists (two spaces between columns, no borders)
// and key = value blocks, as Nomad's formatList/formatKV print them, plus Nomad's time formats.

/** Aligns rows of cells ("a|b|c" or arrays) into columns joined by `glue`; the last column is not padded. */
export function columnize(rows: (string | string[])[], glue = '  ', empty = ''): string {
  const cells = rows.map((r) => (Array.isArray(r) ? r : r.split('|')).map((c) => (c === '' ? empty : c)));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  return cells
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - displayWidth(c))))
        .join(glue)
        .trimEnd(),
    )
    .join('\n');
}

/** Nomad's formatList: a header row and data rows, columns separated by two spaces, empty cells shown as <none> (so awk still sees a field). */
export function formatList(rows: (string | string[])[]): string {
  return columnize(rows, '  ', '<none>');
}

/** Nomad's formatKV: "Key = Value" with keys padded; empty values shown as <none>. */
export function formatKV(pairs: [string, string][]): string {
  return columnize(
    pairs.map(([k, v]) => [k, v === '' ? '<none>' : v]),
    ' = ',
  );
}

function displayWidth(s: string): number {
  return [...s].length;
}

/** Nomad's formatTime: RFC 3339 in local time, seconds precision ("2024-09-15T23:41:22+09:00"). */
export function formatTime(ms: number): string {
  if (!ms) return '';
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const tz = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${tz}`;
}

/** Nomad's prettyTimeDiff: "5s ago", "3m10s ago", "2h5m ago", "4d3h ago" (or "from now"). */
export function prettyTimeDiff(fromMs: number, toMs: number): string {
  if (!fromMs) return '';
  let d = Math.round((toMs - fromMs) / 1000);
  const suffix = d >= 0 ? ' ago' : ' from now';
  d = Math.abs(d);
  if (d === 0) return 'now';
  const units: [number, string][] = [
    [86400 * 365, 'y'],
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  const parts: string[] = [];
  for (const [secs, label] of units) {
    if (d >= secs && parts.length < 2) {
      parts.push(`${Math.floor(d / secs)}${label}`);
      d %= secs;
    } else if (parts.length) break;
  }
  return parts.join('') + suffix;
}

/** Nomad's limit(): truncate IDs to `n` characters unless -verbose. */
export function limit(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s;
}
