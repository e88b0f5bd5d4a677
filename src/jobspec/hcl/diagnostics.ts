// Diagnostics of the HCL parser and evaluator, and Roam's user-facing rendering of them:
// "file:line:col: Summary; detail" followed by the source line and a caret under the subject.
// Expected failures are values (Diagnostic[]), never exceptions.
import type { Range } from './pos.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  summary: string;
  detail: string;
  /** The exact construct the diagnostic is about. */
  subject?: Range;
  /** A wider construct around the subject, for context. */
  context?: Range;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** An error diagnostic; subject and context are optional so callers can omit them cleanly. */
export function errorDiag(summary: string, detail: string, subject?: Range, context?: Range): Diagnostic {
  const d: Diagnostic = { severity: 'error', summary, detail };
  if (subject !== undefined) d.subject = subject;
  if (context !== undefined) d.context = context;
  return d;
}

function lowerFirst(s: string): string {
  // Keep acronyms and quoted names as written ("JSON …", "\"x\" …").
  const a = s.charAt(0);
  const b = s.charAt(1);
  if (a >= 'A' && a <= 'Z' && !(b >= 'A' && b <= 'Z')) return a.toLowerCase() + s.slice(1);
  return s;
}

/**
 * Renders a diagnostic for a terminal. With the source text, the subject's first line is shown
 * with a caret run under the subject (to the end of the line for multi-line subjects).
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const where = d.subject ? `${d.subject.filename}:${d.subject.start.line}:${d.subject.start.column}: ` : '';
  const prefix = d.severity === 'warning' ? 'Warning: ' : '';
  let out = `${where}${prefix}${d.summary}${d.detail ? `; ${lowerFirst(d.detail)}` : ''}`;
  if (d.subject && sourceText !== undefined) {
    const lineNo = d.subject.start.line;
    const line = sourceText.split('\n')[lineNo - 1];
    if (line !== undefined) {
      const text = line.replace(/\r$/, '');
      const chars = Array.from(text);
      const startCol = d.subject.start.column;
      const endCol = d.subject.end.line === lineNo ? d.subject.end.column : chars.length + 1;
      const width = Math.max(1, Math.min(endCol, chars.length + 1) - startCol);
      const gutter = String(lineNo);
      const pad = ' '.repeat(gutter.length);
      // Tabs before the subject are echoed so the caret lines up in terminals.
      const lead = chars
        .slice(0, startCol - 1)
        .map((c) => (c === '\t' ? '\t' : ' '))
        .join('');
      out += `\n  ${gutter} | ${text}\n  ${pad} | ${lead}${'^'.repeat(width)}`;
    }
  }
  return out;
}

/** Levenshtein distance between two strings, by code units (names are identifiers). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The candidate closest to name when it is within edit distance 2, as HCL's nameSuggestion does. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

/** " Did you mean "x"?" or "", for appending to a detail. */
export function suggestionSuffix(name: string, candidates: Iterable<string>): string {
  const s = didYouMean(name, candidates);
  return s === undefined ? '' : ` Did you mean "${s}"?`;
}
