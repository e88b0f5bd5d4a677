// Text → typed value, as go-bexpr coerces a filter's value to the type of the selected field
// (it uses Go's strconv). Pure functions; undefined means "not a valid literal of that type".

const INT_FORMS: readonly (readonly [RegExp, number])[] = [
  [/^0[xX]_?([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)$/, 16],
  [/^0[bB]_?([01]+(?:_[01]+)*)$/, 2],
  [/^0[oO]_?([0-7]+(?:_[0-7]+)*)$/, 8],
  [/^0_?([0-7]+(?:_[0-7]+)*)$/, 8],
  [/^([1-9][0-9]*(?:_[0-9]+)*|0)$/, 10],
];

/** Go's strconv.ParseInt(s, 0, 64): sign, then decimal, 0x hex, 0b binary, 0o or leading-0 octal, `_` between digits. */
export function parseGoInt(s: string): number | undefined {
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.startsWith('-') || s.startsWith('+') ? s.slice(1) : s;
  for (const [re, radix] of INT_FORMS) {
    const m = re.exec(body);
    if (m === null) continue;
    const digits = (m[1] ?? '').replace(/_/g, '');
    let n = 0;
    for (const d of digits) n = n * radix + Number.parseInt(d, radix);
    return sign * n;
  }
  return undefined;
}

/** Go's strconv.ParseFloat(s, 64) for decimal forms, infinities and NaN. */
export function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) return Number(s);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special === null) return undefined;
  if ((special[2] ?? '').toLowerCase() === 'nan') return Number.NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

/**
 * The filter value as a number to compare with `field`. go-bexpr parses it as the field's Go
 * type (an integer field refuses "1.5"); JSON does not say whether a number was an integer or a
 * float field, so an integral field tries integer syntax first and falls back to a float.
 */
export function coerceNumber(raw: string, field: number): number | undefined {
  return Number.isInteger(field) ? (parseGoInt(raw) ?? parseGoFloat(raw)) : (parseGoFloat(raw) ?? parseGoInt(raw));
}
