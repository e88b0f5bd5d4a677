// Go's fmt for template values: Sprint, Sprintln and the value printer Sprintf (sprintf.ts) drives (verbs %v %+v %s %q %d %x %X %o %O %b %c
// %U %e %E %f %F %g %G %t %T %%, flags `+ - # 0 space`, widths, precisions, `*`, `[n]`), and the
// error forms (%!d(string=x), %!v(MISSING), %!(EXTRA …), %!(NOVERB)). Maps print with sorted
// keys, as Go does. Not supported: %#v Go syntax (prints as %v), %p, hex floats (%x on floats).
import { canBackquote, isPrint, quote, quoteRune } from '../strconv.js';
import { kindOf, sortedEntries, stringerOf, toBigInt, toNumber, typeName } from '../values.js';
import { formatFloat } from './float.js';

class Flags {
  plus = false;
  minus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  widPresent = false;
  prec = 0;
  precPresent = false;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export class Printer {
  buf = '';
  f = new Flags();
  private erroring = false;

  clearFlags(): void {
    this.f = new Flags();
  }

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero && !this.f.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    const chars = [...s];
    return chars.length > this.f.prec ? chars.slice(0, this.f.prec).join('') : s;
  }

  // --- top level ------------------------------------------------------------------------------

  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') {
      this.pad(typeName(arg));
      return;
    }
    this.printValue(arg, verb, 0);
  }

  private badVerb(verb: string, arg: unknown): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (arg === null || arg === undefined) this.buf += '<nil>';
    else {
      this.buf += `${typeName(arg)}=`;
      this.printValue(arg, 'v', 0);
    }
    this.buf += ')';
    this.erroring = false;
  }

  private handleMethods(v: unknown, verb: string): boolean {
    if (this.erroring) return false;
    const str = stringerOf(v);
    if (str === undefined) return false;
    if (this.f.sharpV) return false;
    if (verb === 'v' || verb === 's' || verb === 'x' || verb === 'X' || verb === 'q') {
      this.fmtString(str.call(v), verb);
      return true;
    }
    return false;
  }

  printValue(v: unknown, verb: string, depth: number): void {
    if (this.handleMethods(v, verb)) return;
    switch (kindOf(v)) {
      case 'invalid':
      case 'nil':
        if (depth === 0 && v === undefined) this.buf += '<invalid reflect.Value>';
        else if (verb === 'v' || depth > 0) this.pad('<nil>');
        else this.badVerb(verb, null);
        return;
      case 'bool':
        if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false');
        else this.badVerb(verb, v);
        return;
      case 'int':
        this.fmtInteger(toBigInt(v), verb, v);
        return;
      case 'float':
        this.fmtFloat(toNumber(v), verb, v);
        return;
      case 'string':
        this.fmtString(v as string, verb);
        return;
      case 'func':
        if (verb === 'v') this.pad('0xc000010000');
        else this.badVerb(verb, v);
        return;
      case 'slice': {
        const arr = v as unknown[];
        this.buf += '[';
        for (let i = 0; i < arr.length; i++) {
          if (i > 0) this.buf += ' ';
          this.printValue(arr[i] === undefined ? null : arr[i], verb, depth + 1);
        }
        this.buf += ']';
        return;
      }
      case 'map': {
        this.buf += 'map[';
        sortedEntries(v as Record<string, unknown>).forEach(([k, val], i) => {
          if (i > 0) this.buf += ' ';
          this.printValue(k, verb, depth + 1);
          this.buf += ':';
          this.printValue(val === undefined ? null : val, verb, depth + 1);
        });
        this.buf += ']';
        return;
      }
      case 'struct': {
        this.buf += '{';
        Object.entries(v as object).forEach(([k, val], i) => {
          if (i > 0) this.buf += ' ';
          if (this.f.plusV || this.f.sharpV) this.buf += `${k}:`;
          this.printValue(val === undefined ? null : val, verb, depth + 1);
        });
        this.buf += '}';
        return;
      }
    }
  }

  fmtString(s: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.pad(quote(s));
        else this.pad(this.truncate(s));
        return;
      case 's':
        this.pad(this.truncate(s));
        return;
      case 'x':
      case 'X':
        this.fmtSx(s, verb === 'x' ? '0123456789abcdef' : '0123456789ABCDEF', verb);
        return;
      case 'q': {
        const t = this.truncate(s);
        if (this.f.sharp && canBackquote(t)) this.pad(`\`${t}\``);
        else this.pad(quote(t, this.f.plus));
        return;
      }
      default:
        this.badVerb(verb, s);
    }
  }

  private fmtSx(s: string, digits: string, verb: string): void {
    let bytes: Uint8Array = Buffer.from(s, 'utf8');
    if (this.f.precPresent && this.f.prec < bytes.length) bytes = bytes.subarray(0, this.f.prec);
    const length = bytes.length;
    let width = 2 * length;
    if (width > 0) {
      if (this.f.space) {
        if (this.f.sharp) width *= 2;
        width += length - 1;
      } else if (this.f.sharp) width += 2;
    } else {
      if (this.f.widPresent) this.writePadding(this.f.wid);
      return;
    }
    if (this.f.widPresent && this.f.wid > width && !this.f.minus) this.writePadding(this.f.wid - width);
    let out = '';
    const prefix = verb === 'x' ? '0x' : '0X';
    if (this.f.sharp) out += prefix;
    bytes.forEach((c, i) => {
      if (this.f.space && i > 0) {
        out += ' ';
        if (this.f.sharp) out += prefix;
      }
      out += (digits[c >> 4] as string) + (digits[c & 0xf] as string);
    });
    this.buf += out;
    if (this.f.widPresent && this.f.wid > width && this.f.minus) this.writePadding(this.f.wid - width);
  }

  private fmtInteger(n: bigint, verb: string, orig: unknown): void {
    switch (verb) {
      case 'v':
      case 'd':
        return this.integer(n, 10, verb, '0123456789abcdef');
      case 'b':
        return this.integer(n, 2, verb, '01');
      case 'o':
      case 'O':
        return this.integer(n, 8, verb, '01234567');
      case 'x':
        return this.integer(n, 16, verb, '0123456789abcdef');
      case 'X':
        return this.integer(n, 16, verb, '0123456789ABCDEF');
      case 'c':
        this.pad(String.fromCodePoint(validRune(n)));
        return;
      case 'q':
        this.pad(quoteRune(validRune(n), this.f.plus));
        return;
      case 'U': {
        const r = n < 0n ? 0xfffd : Number(n);
        let s = `U+${r.toString(16).toUpperCase().padStart(4, '0')}`;
        if (this.f.sharp && r <= 0x10ffff && isPrint(r)) s += ` '${String.fromCodePoint(r)}'`;
        this.pad(s);
        return;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
      default:
        this.badVerb(verb, orig);
    }
  }

  private integer(n: bigint, base: number, verb: string, digits: string): void {
    const negative = n < 0n;
    const u = negative ? -n : n;
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      if (prec === 0 && u === 0n) {
        const old = this.f.zero;
        this.f.zero = false;
        this.writePadding(this.f.wid);
        this.f.zero = old;
        return;
      }
    } else if (this.f.zero && this.f.widPresent && !this.f.minus) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--;
    }
    let s = u.toString(base);
    if (digits === '0123456789ABCDEF') s = s.toUpperCase();
    if (prec > s.length) s = '0'.repeat(prec - s.length) + s;
    if (this.f.sharp) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8 && s[0] !== '0') s = `0${s}`;
      else if (base === 16) s = (digits === '0123456789abcdef' ? '0x' : '0X') + s;
    }
    if (verb === 'O') s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.f.plus) s = `+${s}`;
    else if (this.f.space) s = ` ${s}`;
    const old = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = old;
  }

  private fmtFloat(x: number, verb: string, orig: unknown): void {
    let fverb: 'e' | 'E' | 'f' | 'F' | 'g' | 'G';
    let prec: number;
    switch (verb) {
      case 'v':
        fverb = 'g';
        prec = -1;
        break;
      case 'g':
      case 'G':
        fverb = verb;
        prec = -1;
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
        fverb = verb;
        prec = 6;
        break;
      default:
        this.badVerb(verb, orig);
        return;
    }
    if (this.f.precPresent) prec = this.f.prec;
    let num = formatFloat(x, fverb, prec);
    if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
    if (this.f.space && num[0] === '+' && !this.f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const old = this.f.zero;
      this.f.zero = false;
      if (num[1] === 'N' && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = old;
      return;
    }
    if (this.f.sharp) num = sharpFloat(num, fverb, prec);
    if (this.f.plus || num[0] !== '+') {
      if (this.f.zero && !this.f.minus && this.f.widPresent && this.f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }
}

/** %#g and friends keep the decimal point (and %#g its trailing zeros). */
function sharpFloat(num: string, verb: string, prec: number): string {
  const m = /^([+\- ])([0-9.]+)([eE].*)?$/.exec(num);
  if (!m) return num;
  let mant = m[2] as string;
  const tail = m[3] ?? '';
  if (!mant.includes('.')) mant += '.';
  if (verb === 'g' || verb === 'G') {
    const digits = prec < 0 ? 6 : prec === 0 ? 1 : prec;
    const have = mant.replace('.', '').replace(/^0+/, '').length || 1;
    if (have < digits) mant += '0'.repeat(digits - have);
  }
  return (m[1] as string) + mant + tail;
}

function validRune(n: bigint): number {
  if (n < 0n || n > 0x10ffffn) return 0xfffd;
  const r = Number(n);
  return r >= 0xd800 && r <= 0xdfff ? 0xfffd : r;
}

function isStringArg(v: unknown): boolean {
  return typeof v === 'string';
}

/** fmt.Sprint. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = isStringArg(arg);
    if (i > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.buf += ' ';
    p.printArg(arg, 'v');
  });
  return `${p.buf}\n`;
}

/** Formats one value as fmt.Fprint does (the output of `{{ pipeline }}`). */
export function formatValue(v: unknown): string {
  // The common cases without a Printer (what printArg would produce): a string prints as itself,
  // a safe integer in decimal.
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  const p = new Printer();
  p.printArg(v, 'v');
  return p.buf;
}
