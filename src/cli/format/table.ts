// Table and value formatting shared by the read commands, where Nomad's helpers differ from the
// generic ones in ../output.ts: JSON output is indented by four spaces and byte sizes are IEC
// ("256 MiB"); formatTable is Nomad's formatList under the name these commands use.
import { nanosToMs } from '../../structs/time.js';
import { formatTime } from '../output.js';

/** Nomad's formatList (see ../output.ts). */
export { formatList as formatTable } from '../output.js';

/** Nomad's `-json` output (its JSON data formatter indents by four spaces). */
export function formatJSON(data: unknown): string {
  return JSON.stringify(data, null, 4);
}

/** Nomad's shortId/fullId: IDs are cut to 8 characters unless -verbose. */
export function idLength(verbose: boolean): number {
  return verbose ? 36 : 8;
}

/** Nomad's formatUnixNanoTime: an int64 nanosecond timestamp as RFC 3339 local time ("" for zero). */
export function formatNanoTime(ns: number): string {
  return formatTime(nanosToMs(ns));
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** go-humanize's IBytes: "9 B", "1.5 KiB", "256 MiB", "1.0 GiB". */
export function humanizeIBytes(bytes: number): string {
  if (bytes < 10) return `${bytes} B`;
  const e = Math.floor(Math.log(bytes) / Math.log(1024));
  const val = Math.floor((bytes / 1024 ** e) * 10 + 0.5) / 10;
  return `${val < 10 ? val.toFixed(1) : val.toFixed(0)} ${IEC[e] ?? 'EiB'}`;
}

export const MiB = 1024 * 1024;
