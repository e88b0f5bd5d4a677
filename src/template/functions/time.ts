// Go's time.Format layouts ("2006-01-02T15:04:05Z07:00") for consul-template's `timestamp`, over
// an injected clock. Times are UTC, as consul-template's clock is.

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export const RFC3339 = '2006-01-02T15:04:05Z07:00';

// Longest first, so "January" wins over "Jan" and "2006" over "2".
const TOKENS = [
  'January', 'Monday', '-07:00:00', 'Z07:00:00', '-0700', '-07:00', 'Z0700', 'Z07:00', '2006', '_2', '__2', '002',
  'Jan', 'Mon', 'MST', '-07', 'Z07', '01', '02', '03', '04', '05', '06', '15', 'PM', 'pm', '1', '2', '3', '4', '5',
].sort((a, b) => b.length - a.length);

function pad(n: number, width: number, ch = '0'): string {
  return String(n).padStart(width, ch);
}

/** Formats date (as UTC) with a Go layout. */
export function formatGoTime(date: Date, layout: string): string {
  const Y = date.getUTCFullYear();
  const M = date.getUTCMonth();
  const D = date.getUTCDate();
  const h = date.getUTCHours();
  const m = date.getUTCMinutes();
  const s = date.getUTCSeconds();
  const ms = date.getUTCMilliseconds();
  const yday = Math.floor((Date.UTC(Y, M, D) - Date.UTC(Y, 0, 1)) / 86400000) + 1;
  let out = '';
  let i = 0;
  while (i < layout.length) {
    // fractional seconds: .000 / ,000 (fixed) or .999 (trailing zeros trimmed)
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      const digits = (frac[1] as string).length;
      const ns = pad(ms * 1_000_000, 9).slice(0, digits);
      if ((frac[1] as string)[0] === '0') out += (frac[0][0] as string) + ns;
      else {
        const t = ns.replace(/0+$/, '');
        if (t) out += (frac[0][0] as string) + t;
      }
      i += frac[0].length;
      continue;
    }
    const tok = TOKENS.find((t) => layout.startsWith(t, i));
    if (tok === undefined) {
      out += layout[i];
      i++;
      continue;
    }
    switch (tok) {
      case 'January': out += MONTHS[M]; break;
      case 'Jan': out += (MONTHS[M] as string).slice(0, 3); break;
      case 'Monday': out += DAYS[date.getUTCDay()]; break;
      case 'Mon': out += (DAYS[date.getUTCDay()] as string).slice(0, 3); break;
      case '2006': out += pad(Y, 4); break;
      case '06': out += pad(Y % 100, 2); break;
      case '01': out += pad(M + 1, 2); break;
      case '1': out += String(M + 1); break;
      case '02': out += pad(D, 2); break;
      case '_2': out += pad(D, 2, ' '); break;
      case '__2': out += pad(yday, 3, ' '); break;
      case '002': out += pad(yday, 3); break;
      case '2': out += String(D); break;
      case '15': out += pad(h, 2); break;
      case '03': out += pad(h % 12 === 0 ? 12 : h % 12, 2); break;
      case '3': out += String(h % 12 === 0 ? 12 : h % 12); break;
      case '04': out += pad(m, 2); break;
      case '4': out += String(m); break;
      case '05': out += pad(s, 2); break;
      case '5': out += String(s); break;
      case 'PM': out += h >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += h >= 12 ? 'pm' : 'am'; break;
      case 'MST': out += 'UTC'; break;
      case 'Z0700': case 'Z07:00': case 'Z07': case 'Z07:00:00': out += 'Z'; break;
      case '-0700': out += '+0000'; break;
      case '-07:00': out += '+00:00'; break;
      case '-07': out += '+00'; break;
      case '-07:00:00': out += '+00:00:00'; break;
    }
    i += tok.length;
  }
  return out;
}
