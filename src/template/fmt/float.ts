// Go's strconv.FormatFloat for the verbs fmt uses (%e %E %f %F %g %G, shortest or with a
// precision). Shortest digits come from JavaScript (both languages print the shortest string that
// round-trips); fixed precisions round the exact binary value half-to-even, as Go does.

interface Digits {
  /** Significant digits without leading or trailing zeros ("" for zero). */
  d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const [mant, exp] = x.toExponential().split('e') as [string, string];
  const d = mant.replace('.', '').replace(/0+$/, '');
  return { d, dp: Number(exp) + 1 };
}

/** The exact decimal expansion of a finite, positive double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e2)).toString();
    dp = s.length + e2;
  }
  const trimmedLead = s.replace(/^0+/, '');
  dp -= s.length - trimmedLead.length;
  return { d: trimmedLead.replace(/0+$/, ''), dp };
}

/** Rounds to nd significant digits, half to even on exact ties (Go's decimal.Round). */
function round(a: Digits, nd: number): Digits {
  if (nd < 0 || nd >= a.d.length) return a;
  const next = a.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = next >= 5;
  if (!up) {
    const d = a.d.slice(0, nd).replace(/0+$/, '');
    return { d, dp: d === '' ? 0 : a.dp };
  }
  // round up
  const digits = a.d.slice(0, nd).split('');
  let i = nd - 1;
  while (i >= 0 && digits[i] === '9') i--;
  if (i < 0) return { d: '1', dp: a.dp + 1 };
  digits[i] = String.fromCharCode((digits[i] as string).charCodeAt(0) + 1);
  return { d: digits.slice(0, i + 1).join(''), dp: a.dp };
}

function fmtE(dg: Digits, prec: number, e: 'e' | 'E'): string {
  let s = dg.d.length === 0 ? '0' : (dg.d[0] as string);
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += i < dg.d.length ? dg.d[i] : '0';
  }
  let exp = dg.d.length === 0 ? 0 : dg.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return `${s}${e}${sign}${exp < 10 ? `0${exp}` : exp}`;
}

function fmtF(dg: Digits, prec: number): string {
  let s = '';
  if (dg.dp > 0) {
    for (let i = 0; i < dg.dp; i++) s += i < dg.d.length ? dg.d[i] : '0';
  } else s = '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = dg.dp + i - 1;
      s += j >= 0 && j < dg.d.length ? dg.d[j] : '0';
    }
  }
  return s;
}

/**
 * strconv.FormatFloat(x, verb, prec, 64). prec -1 = shortest. Returns the text with its sign
 * ("-" only); Inf and NaN as Go spells them ("+Inf", "-Inf", "NaN").
 */
export function formatFloat(x: number, verb: 'e' | 'E' | 'f' | 'F' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const body = formatPositive(abs, verb, prec);
  return neg ? `-${body}` : body;
}

function formatPositive(x: number, verb: 'e' | 'E' | 'f' | 'F' | 'g' | 'G', prec: number): string {
  const shortest = prec < 0;
  let dg: Digits;
  if (shortest) {
    dg = shortestDigits(x);
    switch (verb) {
      case 'e':
      case 'E':
        prec = Math.max(dg.d.length - 1, 0);
        break;
      case 'f':
      case 'F':
        prec = Math.max(dg.d.length - dg.dp, 0);
        break;
      default:
        prec = dg.d.length;
    }
  } else {
    const exact = exactDigits(x);
    switch (verb) {
      case 'e':
      case 'E':
        dg = round(exact, prec + 1);
        break;
      case 'f':
      case 'F':
        dg = round(exact, exact.dp + prec);
        break;
      default:
        if (prec === 0) prec = 1;
        dg = round(exact, prec);
    }
  }
  switch (verb) {
    case 'e':
    case 'E':
      return fmtE(dg, prec, verb);
    case 'f':
    case 'F':
      return fmtF(dg, prec);
    default: {
      let eprec = prec;
      if (eprec > dg.d.length && dg.d.length >= dg.dp) eprec = dg.d.length;
      if (shortest) eprec = 6;
      const exp = dg.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > dg.d.length) prec = dg.d.length;
        return fmtE(dg, prec - 1, verb === 'g' ? 'e' : 'E');
      }
      if (prec > dg.dp) prec = dg.d.length;
      return fmtF(dg, Math.max(prec - dg.dp, 0));
    }
  }
}
