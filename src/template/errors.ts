// The one error type the template engine throws. Messages use Go's wording so users who know
// Nomad recognise them: `template: NAME:LINE: msg` for parse errors and
// `template: NAME:LINE:COL: executing "TMPL" at <NODE>: msg` for execution errors. Go gives parse
// errors no column; Roam keeps Go's text but still records the column in `column` (1-based).

export type TemplateErrorPhase = 'parse' | 'exec';

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    message: string,
    readonly phase: TemplateErrorPhase,
    /** The template file name (Go's ParseName). */
    readonly templateName: string,
    /** 1-based line. */
    readonly line: number,
    /** 1-based column (characters), 0 when unknown. */
    readonly column: number,
    /** The message without the location prefix. */
    readonly detail: string,
  ) {
    super(message);
  }
}

/** A failure inside a template function; the executor wraps it as `error calling NAME: msg`. */
export class FunctionError extends Error {
  override readonly name = 'FunctionError';
}
