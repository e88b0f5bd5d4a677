// Translates Go RE2 regular expression syntax (what regex, regexall and regex_replace accept in
// Nomad) into an equivalent JavaScript RegExp with the `u` flag, and expands Go-style replacement
// templates ($1, ${name}, $$). It refuses what RE2 refuses (backreferences, lookaround) rather
// than quietly accepting a JavaScript-only pattern, and refuses the few RE2 features JavaScript
// cannot express (non-leading flag groups, (?U)).

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** RE2's \s is ASCII-only; JavaScript's is Unicode-wide. */
const goSpaceClass = '\\t\\n\\f\\r ';

export class RegexSyntaxError extends Error {}

/** A code point as a JavaScript `u`-mode escape, safe anywhere in a pattern. */
function lit(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

function isSyntaxChar(ch: string): boolean {
  return '^$\\.*+?()[]{}|/'.includes(ch);
}

/** Returns the JavaScript source and flags for a Go pattern, or throws RegexSyntaxError. */
export function translateGoRegex(pattern: string): { source: string; flags: string } {
  let flags = 'u';
  let i = 0;
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead !== null) {
    const f = lead[1] ?? '';
    if (f.includes('U')) throw new RegexSyntaxError('the ungreedy flag (?U) is not supported');
    for (const c of f) if (!flags.includes(c)) flags += c;
    i = lead[0].length;
  }
  const chars = [...pattern];
  const start = [...pattern.slice(0, i)].length;
  let out = '';
  let inClass = false;
  let classStart = false;
  for (let k = start; k < chars.length; k++) {
    const ch = chars[k] ?? '';
    const next = chars[k + 1];
    if (ch === '\\') {
      if (next === undefined) throw new RegexSyntaxError('trailing backslash at end of expression');
      k++;
      out += translateEscape(next, chars, k, inClass, (advance) => (k += advance));
      classStart = false;
      continue;
    }
    if (inClass) {
      if (ch === '[' && next === ':') {
        const close = chars.indexOf(']', k);
        const name = chars.slice(k + 2, close - 1).join('');
        const negate = name.startsWith('^');
        const cls = posixClasses[negate ? name.slice(1) : name];
        if (close > 0 && chars[close - 1] === ':' && cls !== undefined && !negate) {
          out += cls;
          k = close;
          classStart = false;
          continue;
        }
        if (negate) throw new RegexSyntaxError(`negated POSIX class [:${name}:] is not supported`);
      }
      if (ch === ']' && !classStart) {
        inClass = false;
        out += ']';
        continue;
      }
      classStart = false;
      out += ch === ']' || ch === '[' || ch === '/' || ch === '{' || ch === '}' || ch === '|' || ch === '(' || ch === ')' ? `\\${ch}` : ch;
      continue;
    }
    switch (ch) {
      case '[':
        inClass = true;
        out += '[';
        if (next === '^') {
          out += '^';
          k++;
        }
        classStart = true;
        continue;
      case '(':
        if (next === '?') {
          const rest = chars.slice(k, k + 4).join('');
          if (rest.startsWith('(?P<')) {
            out += '(?<';
            k += 3;
            continue;
          }
          if (rest.startsWith('(?:') || rest.startsWith('(?<') && !rest.startsWith('(?<=') && !rest.startsWith('(?<!')) {
            out += rest.slice(0, 3);
            k += 2;
            continue;
          }
          throw new RegexSyntaxError(`invalid or unsupported Perl syntax: ${JSON.stringify(rest)}`);
        }
        out += '(';
        continue;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(chars.slice(k, k + 12).join(''));
        if (m === null) out += '\\{';
        else {
          out += m[0];
          k += m[0].length - 1;
        }
        continue;
      }
      case '}':
      case ']':
      case '/':
        out += `\\${ch}`;
        continue;
      default:
        out += ch;
    }
  }
  if (inClass) throw new RegexSyntaxError('missing closing ]');
  return { source: out, flags };
}

function translateEscape(ch: string, chars: string[], at: number, inClass: boolean, advance: (n: number) => void): string {
  if (ch >= '1' && ch <= '9') throw new RegexSyntaxError(`invalid escape sequence: \\${ch} (backreferences are not supported)`);
  switch (ch) {
    case 'A':
      if (inClass) break;
      return '(?<![\\s\\S])';
    case 'z':
      if (inClass) break;
      return '(?![\\s\\S])';
    case 's':
      return inClass ? goSpaceClass : `[${goSpaceClass}]`;
    case 'S':
      return inClass ? '\\S' : `[^${goSpaceClass}]`;
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'b':
    case 'B':
    case 't':
    case 'n':
    case 'r':
    case 'f':
    case 'v':
      return `\\${ch}`;
    case 'a':
      return '\\x07';
    case '0':
      return '\\0';
    case 'p':
    case 'P': {
      const brace = chars[at + 1] === '{';
      if (brace) {
        const close = chars.indexOf('}', at);
        if (close < 0) throw new RegexSyntaxError('invalid character class range: missing }');
        const name = chars.slice(at + 2, close).join('');
        advance(close - at);
        return `\\${ch}{${name}}`;
      }
      const name = chars[at + 1] ?? '';
      advance(1);
      return `\\${ch}{${name}}`;
    }
    case 'x': {
      if (chars[at + 1] === '{') {
        const close = chars.indexOf('}', at);
        if (close < 0) throw new RegexSyntaxError('invalid escape sequence: \\x{ without }');
        const hex = chars.slice(at + 2, close).join('');
        advance(close - at);
        return `\\u{${hex}}`;
      }
      const hex = chars.slice(at + 1, at + 3).join('');
      advance(2);
      return `\\x${hex}`;
    }
    case 'Q': {
      let end = at + 1;
      let text = '';
      while (end < chars.length && !(chars[end] === '\\' && chars[end + 1] === 'E')) text += chars[end++] ?? '';
      advance(end - at + (end < chars.length ? 1 : 0));
      return [...text].map(lit).join('');
    }
    default:
      break;
  }
  if (/[A-Za-z]/.test(ch)) throw new RegexSyntaxError(`invalid escape sequence: \\${ch}`);
  // RE2 lets any punctuation be escaped; JavaScript's u mode only some, so spell the others out.
  return isSyntaxChar(ch) || (inClass && ch === '-') ? `\\${ch}` : lit(ch);
}

/**
 * Expands a Go regexp replacement template: $n and ${n} (group numbers), $name and ${name}
 * (named groups, the longest run of letters, digits and _), $$ for a literal dollar. A reference
 * to a missing or unmatched group expands to nothing; a malformed one is kept as text.
 */
export function expandTemplate(template: string, groups: readonly (string | undefined)[], named: Readonly<Record<string, string | undefined>> | undefined): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '$') {
      out += ch;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    const m = /^\{([A-Za-z0-9_]+)\}|^([A-Za-z0-9_]+)/.exec(template.slice(i + 1));
    if (m === null) {
      out += '$';
      continue;
    }
    const name = m[1] ?? m[2] ?? '';
    i += m[0].length;
    if (/^\d+$/.test(name)) out += groups[Number(name)] ?? '';
    else out += named?.[name] ?? '';
  }
  return out;
}
