// fmt.Sprintf's format-string interpreter: flags, widths, precisions, `*` and `[n]` argument
// indexes, and Go's error forms (%!v(MISSING), %!(EXTRA …), %!(NOVERB), %!(BADWIDTH)).
import { kindOf, toBigInt, typeName } from '../values.js';
import { Printer } from './print.js';

function tooLarge(n: number): boolean {
  return n > 1e6 || n < -1e6;
}

function parseNum(s: string, start: number, end: number): { num: number; ok: boolean; next: number } {
  if (start >= end) return { num: 0, ok: false, next: end };
  let num = 0;
  let ok = false;
  let i = start;
  for (; i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    if (tooLarge(num)) return { num: 0, ok: false, next: end };
    num = num * 10 + (s.charCodeAt(i) - 48);
    ok = true;
  }
  return { num, ok, next: i };
}

/** Where the scan of a format string is (Go's pp fields); plain data, so a call allocates no closures. */
interface Scan {
  format: string;
  args: readonly unknown[];
  argNum: number;
  reordered: boolean;
  goodArgNum: boolean;
}

/** Go's argNumber: an explicit `[n]` argument index at i, if any; returns where the scan goes on and whether one was found. */
function argNumber(st: Scan, i: number): { i: number; found: boolean } {
  const { format, args } = st;
  const end = format.length;
  if (i >= end || format[i] !== '[') return { i, found: false };
  st.reordered = true;
  // parseArgNumber
  let idx = 0;
  let wid = 1;
  let ok = false;
  if (end - i >= 3) {
    for (let j = i + 1; j < end; j++) {
      if (format[j] === ']') {
        const r = parseNum(format, i + 1, j);
        if (!r.ok || r.next !== j) {
          wid = j - i + 1;
          ok = false;
        } else {
          idx = r.num - 1;
          wid = j - i + 1;
          ok = true;
        }
        break;
      }
    }
  }
  if (ok && idx >= 0 && idx < args.length) {
    st.argNum = idx;
    return { i: i + wid, found: true };
  }
  st.goodArgNum = false;
  return { i: i + wid, found: ok };
}

/** Go's intFromArg: a `*` width or precision taken from the next argument. */
function intFromArg(st: Scan): { num: number; ok: boolean } {
  let num = 0;
  let ok = false;
  if (st.argNum < st.args.length) {
    const a = st.args[st.argNum];
    if (kindOf(a) === 'int') {
      num = Number(toBigInt(a));
      ok = true;
    }
    st.argNum++;
    if (tooLarge(num)) {
      num = 0;
      ok = false;
    }
  }
  return { num, ok };
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  const end = format.length;
  const st: Scan = { format, args, argNum: 0, reordered: false, goodArgNum: true };
  let afterIndex = false;

  let i = 0;
  formatLoop: while (i < end) {
    st.goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.clearFlags();
    const f = p.f;
    simple: for (; i < end; i++) {
      const c = format[i] as string;
      switch (c) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = !f.minus;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          if (c >= 'a' && c <= 'z' && st.argNum < args.length) {
            if (c === 'v') {
              f.sharpV = f.sharp;
              f.sharp = false;
              f.plusV = f.plus;
              f.plus = false;
            }
            p.printArg(args[st.argNum], c);
            st.argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    let r = argNumber(st, i);
    i = r.i;
    afterIndex = r.found;
    if (i < end && format[i] === '*') {
      i++;
      const w = intFromArg(st);
      f.wid = w.num;
      f.widPresent = w.ok;
      if (!f.widPresent) p.buf += '%!(BADWIDTH)';
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const w = parseNum(format, i, end);
      f.wid = w.num;
      f.widPresent = w.ok;
      i = w.next;
      if (afterIndex && f.widPresent) st.goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) st.goodArgNum = false;
      r = argNumber(st, i);
      i = r.i;
      afterIndex = r.found;
      if (i < end && format[i] === '*') {
        i++;
        const pr = intFromArg(st);
        f.prec = pr.num;
        f.precPresent = pr.ok;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const pr = parseNum(format, i, end);
        f.prec = pr.num;
        f.precPresent = pr.ok;
        i = pr.next;
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }
    if (!afterIndex) {
      r = argNumber(st, i);
      i = r.i;
      afterIndex = r.found;
    }
    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === '%') p.buf += '%';
    else if (!st.goodArgNum) p.buf += `%!${verb}(BADINDEX)`;
    else if (st.argNum >= args.length) p.buf += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      p.printArg(args[st.argNum], verb);
      st.argNum++;
    }
  }
  if (!st.reordered && st.argNum < args.length) {
    p.clearFlags();
    p.buf += '%!(EXTRA ';
    args.slice(st.argNum).forEach((a, j) => {
      if (j > 0) p.buf += ', ';
      if (a === null || a === undefined) p.buf += '<nil>';
      else {
        p.buf += `${typeName(a)}=`;
        p.printArg(a, 'v');
      }
    });
    p.buf += ')';
  }
  return p.buf;
}
