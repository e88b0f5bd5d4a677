// The one error type of the filter library. A bad `?filter=` is the caller's mistake, so Nomad
// answers it with HTTP 400; FilterError carries that status so the HTTP layer maps it by type,
// never by message text. This module owns the error's shape and its rendering (position, the
// offending line, a caret); it must never decide whether something is an error.

export type FilterErrorKind = 'parse' | 'evaluate';

/** A filter expression that cannot be parsed, or that cannot be evaluated against an object. */
export class FilterError extends Error {
  override name = 'FilterError';
  /** Nomad answers both kinds with 400 Bad Request. */
  readonly status = 400;
  /** 1-based line and column (in characters) of `offset` within `expression`. */
  readonly line: number;
  readonly column: number;

  constructor(
    readonly kind: FilterErrorKind,
    /** What went wrong, without position or prefix (e.g. `expected "==" … but found "="`). */
    readonly detail: string,
    readonly expression: string,
    /** UTF-16 offset into `expression` the error points at. */
    readonly offset: number,
  ) {
    const { line, column, text } = locate(expression, offset);
    // Nomad's prefix is kept: its UI and scripts recognise "failed to read filter expression".
    const prefix = kind === 'parse' ? 'failed to read filter expression' : 'failed to evaluate filter expression';
    super(`${prefix}: ${line}:${column}: ${detail}\n    ${text}\n    ${' '.repeat(column - 1)}^`);
    this.line = line;
    this.column = column;
  }
}

function locate(src: string, offset: number): { line: number; column: number; text: string } {
  const before = src.slice(0, offset);
  const lines = before.split('\n');
  const line = lines.length;
  const lineStart = offset - (lines[lines.length - 1] ?? '').length;
  const lineEnd = src.indexOf('\n', offset);
  const text = src.slice(lineStart, lineEnd < 0 ? src.length : lineEnd).replace(/\t/g, ' ');
  const column = [...src.slice(lineStart, offset)].length + 1;
  return { line, column, text };
}
