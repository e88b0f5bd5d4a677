// Canonical formatting of HCL native syntax, the behaviour of HashiCorp's hclwrite.Format (what
// `nomad fmt` runs): it changes only the whitespace between tokens, never a token, so a file
// means the same before and after. Per line: indentation of two spaces per open bracket level,
// one space between most tokens (none inside templates, around dots, before commas, after a
// negation), `=` aligned across consecutive single-line attributes and trailing `#`/`//`
// comments aligned across consecutive lines. Heredoc bodies, comments and blank lines are kept as
// written (hclwrite keeps runs of blank lines and adds no final newline; so does this).
// It must be handed text that parses: formatHCLSource checks that first, as Nomad's fmt does.
import type { Diagnostic } from './diagnostics.js';
import { hasErrors } from './diagnostics.js';
import { scan, type Token } from './lexer.js';
import { parseHCL } from './parser.js';

/** Token classes that the spacing rules distinguish (hclsyntax's token types, merged where the rules agree). */
type Kind =
  | 'newline'
  | 'comment'
  | 'ident'
  | 'number'
  | 'oquote'
  | 'cquote'
  | 'oheredoc'
  | 'cheredoc'
  /** Literal text inside a quoted string or a heredoc. */
  | 'lit'
  | 'interp'
  | 'control'
  | 'seqend'
  | 'punct';

interface FmtToken {
  kind: Kind;
  /** The token's exact source text; formatting never changes it. */
  text: string;
  /** Spaces written before the token, decided by the passes below. */
  spaces: number;
}

interface Line {
  lead: FmtToken[];
  /** From the attribute's `=` to the end of a one-line value, when the line has one. */
  assign: FmtToken[] | undefined;
  /** A trailing line comment after other tokens. */
  comment: FmtToken[] | undefined;
}

export interface FormatResult {
  /** The formatted text; undefined when the source does not parse. */
  formatted: string | undefined;
  /** Syntax errors (the file is left alone when there are any). */
  diagnostics: Diagnostic[];
}

/** Parses then formats a native-syntax HCL file; a file with syntax errors is not formatted. */
export function formatHCLSource(text: string, filename: string): FormatResult {
  const { diagnostics } = parseHCL(text, filename);
  if (hasErrors(diagnostics)) return { formatted: undefined, diagnostics };
  return { formatted: formatHCL(text), diagnostics };
}

/** Formats HCL native syntax text that is known to parse. */
export function formatHCL(text: string): string {
  const { tokens, trailingSpaces } = fmtTokens(text);
  const lines = splitLines(tokens);
  indentLines(lines);
  spaceTokens(lines);
  alignCells(lines);
  let out = '';
  for (const t of tokens) out += ' '.repeat(t.spaces) + t.text;
  return out + ' '.repeat(trailingSpaces);
}

function kindOf(t: Token): Kind | undefined {
  switch (t.type) {
    case 'literal':
      return 'lit';
    case 'eof':
    case 'invalid':
      return undefined;
    default:
      return t.type;
  }
}

/** The scanner's tokens with their exact text (a CRLF newline and a heredoc's closing indentation included). */
function fmtTokens(text: string): { tokens: FmtToken[]; trailingSpaces: number } {
  const tokens: FmtToken[] = [];
  let prevEnd = 0;
  for (const t of scan(text, { comments: true })) {
    const kind = kindOf(t);
    if (kind === undefined) continue;
    let start = t.start;
    // hclsyntax's newline token is "\r\n" and its closing heredoc marker includes the indentation.
    if (kind === 'newline' && start > prevEnd && text[start - 1] === '\r') start--;
    if (kind === 'cheredoc') start = Math.max(prevEnd, text.lastIndexOf('\n', start - 1) + 1);
    tokens.push({ kind, text: kind === 'punct' ? (t.punct ?? '') : text.slice(start, t.end), spaces: start - prevEnd });
    prevEnd = t.end;
  }
  // hclwrite keeps the whitespace before the end of the file (it belongs to no line).
  return { tokens, trailingSpaces: text.length - prevEnd };
}

function endsLine(t: FmtToken): boolean {
  return t.kind === 'newline' || (t.kind === 'comment' && t.text.endsWith('\n'));
}

function bracketChange(t: FmtToken): number {
  if (t.kind === 'interp' || t.kind === 'control') return 1;
  if (t.kind === 'seqend') return -1;
  if (t.kind !== 'punct') return 0;
  if (t.text === '{' || t.text === '[' || t.text === '(') return 1;
  if (t.text === '}' || t.text === ']' || t.text === ')') return -1;
  return 0;
}

function isPunct(t: FmtToken | undefined, p: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === p;
}

/** Net bracket change of tokens; a heredoc opener ends the count when stopAtHeredoc (its body is not code). */
function netBrackets(tokens: readonly FmtToken[], stopAtHeredoc: boolean): number {
  let n = 0;
  for (const t of tokens) {
    n += bracketChange(t);
    if (stopAtHeredoc && t.kind === 'oheredoc') break;
  }
  return n;
}

function splitLines(tokens: FmtToken[]): Line[] {
  const lines: Line[] = [];
  let lead: FmtToken[] = [];
  for (const t of tokens) {
    lead.push(t);
    if (endsLine(t)) {
      lines.push(cells(lead));
      lead = [];
    }
  }
  lines.push(cells(lead));
  return lines;
}

/** Splits a line into its lead, `= value` and trailing comment cells. */
function cells(tokens: FmtToken[]): Line {
  let lead = tokens;
  let comment: FmtToken[] | undefined;
  const last = lead[lead.length - 1];
  if (lead.length > 1 && last?.kind === 'comment') {
    comment = [last];
    lead = lead.slice(0, -1);
  }
  let assign: FmtToken[] | undefined;
  const eq = lead.findIndex((t, i) => i > 0 && isPunct(t, '='));
  // Only a value that closes on this line joins an alignment run (`x = {` opens a multi-line one).
  if (eq > 0 && netBrackets(lead.slice(eq), false) === 0) {
    assign = lead.slice(eq);
    lead = lead.slice(0, eq);
  }
  return { lead, assign, comment };
}

/**
 * Indents each line by two spaces per open bracket level. A line that opens several brackets
 * indents the following lines one level only, and closing them all takes that level back off,
 * which keeps lopsided bracketing from drifting far left or right.
 */
function indentLines(lines: Line[]): void {
  const levels: number[] = [];
  for (const line of lines) {
    const first = line.lead[0];
    if (first === undefined) continue;
    if (first.kind === 'newline') {
      first.spaces = 0;
      continue;
    }
    const net = netBrackets(line.lead, true) + netBrackets(line.assign ?? [], false);
    if (net > 0) {
      first.spaces = 2 * levels.length;
      levels.push(net);
      continue;
    }
    let closed = -net;
    while (closed > 0 && levels.length > 0) {
      const top = levels[levels.length - 1] ?? 0;
      if (closed >= top) {
        levels.pop();
        closed -= top;
      } else {
        levels[levels.length - 1] = top - closed;
        closed = 0;
      }
    }
    first.spaces = 2 * levels.length;
  }
}

function spaceTokens(lines: Line[]): void {
  for (const line of lines) {
    spaceCell(line.lead);
    const assign = line.assign;
    if (assign?.[0] !== undefined) {
      assign[0].spaces = 1;
      spaceCell(assign);
    }
  }
}

function spaceCell(cell: FmtToken[]): void {
  for (let i = 0; i + 1 < cell.length; i++) {
    const subject = cell[i];
    const after = cell[i + 1];
    if (subject === undefined || after === undefined) continue;
    after.spaces = spaceAfter(subject, cell[i - 1], after) ? 1 : 0;
  }
}

const OPENS_OPERAND = new Set(['(', '{', '[', '=', ':', ',', '?', '+', '*', '/', '%', '-', '==', '!=', '>', '>=', '<', '<=', '&&', '||', '!']);

/** Whether one space separates subject from the token after it (hclwrite's spacing rules, in its order). */
function spaceAfter(subject: FmtToken, before: FmtToken | undefined, after: FmtToken): boolean {
  if (after.kind === 'newline') return false;
  if (subject.kind === 'ident' && isPunct(after, '(')) return false; // f(x)
  if (isPunct(subject, '.') || isPunct(after, '.')) return false; // a.b
  if (isPunct(after, ',') || isPunct(after, '...')) return false;
  if (isPunct(subject, ',')) return true;
  const templateText = (t: FmtToken): boolean => t.kind === 'lit';
  if (templateText(subject) || subject.kind === 'oquote' || subject.kind === 'oheredoc' || templateText(after) || after.kind === 'cquote' || after.kind === 'cheredoc') return false;
  // `[for x in [a]: x]`: `in` is a keyword here, not a value being indexed.
  if (subject.kind === 'ident' && subject.text === 'in' && before?.kind === 'ident') return true;
  if (isPunct(after, '[') && (subject.kind === 'ident' || subject.kind === 'number' || bracketChange(subject) < 0)) return false; // a[0]
  if (isPunct(subject, '!')) return false;
  if (isPunct(subject, '-')) {
    // A minus after something that cannot end an operand is a negation: `-1`, `x = -y`, `a * -b`.
    if (before === undefined) return false;
    return !(before.kind === 'punct' && OPENS_OPERAND.has(before.text));
  }
  if (isPunct(subject, '{') || isPunct(after, '}')) return !(isPunct(subject, '{') && isPunct(after, '}')); // { a = 1 }, but {}
  if ((subject.kind === 'interp' || subject.kind === 'control') && isPunct(after, '{')) return true; // ${ {…} }
  if (isPunct(subject, '}') && after.kind === 'seqend') return true;
  if (subject.kind === 'seqend' && (after.kind === 'interp' || after.kind === 'control')) return false; // ${a}${b}
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  return true;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Display columns of a token: its spaces plus its characters (grapheme clusters, as hclwrite counts). */
function columns(cell: readonly FmtToken[] | undefined): number {
  let n = 0;
  for (const t of cell ?? []) {
    n += t.spaces;
    if (/^[\x00-\x7f]*$/.test(t.text) && !t.text.includes('\r\n')) n += t.text.length;
    else for (const _ of segmenter.segment(t.text)) n++;
  }
  return n;
}

/** Aligns the `=` of consecutive attribute lines, then the trailing comments of consecutive lines. */
function alignCells(lines: Line[]): void {
  alignRuns(lines, (l) => l.assign, (l) => columns(l.lead));
  alignRuns(lines, (l) => l.comment, (l) => columns(l.lead) + columns(l.assign));
}

function alignRuns(lines: Line[], cell: (l: Line) => FmtToken[] | undefined, width: (l: Line) => number): void {
  let run: Line[] = [];
  const close = (): void => {
    const widest = Math.max(0, ...run.map(width));
    for (const l of run) {
      const first = cell(l)?.[0];
      if (first !== undefined) first.spaces = widest - width(l) + 1;
    }
    run = [];
  };
  for (const l of lines) {
    if (cell(l) === undefined) close();
    else run.push(l);
  }
  close();
}
