// Rendering jobspec problems for people: HCL diagnostics as "file:line:col: Summary; detail" with
// the source line and a caret (Roam's format), and validation errors in Nomad's multierror layout
// ("2 errors occurred:" then "\t* …" lines), each prefixed with where the block was written when
// the job came from a file.
import { formatDiagnostic, type Diagnostic, type Range } from './hcl/index.js';
import type { JobValidationError } from './validate-common.js';

/** Diagnostics, one after another; `sources` maps file names to their text for the caret lines. */
export function formatDiagnostics(diags: readonly Diagnostic[], sources: Readonly<Record<string, string>>): string {
  return diags.map((d) => formatDiagnostic(d, d.subject === undefined ? undefined : sources[d.subject.filename])).join('\n');
}

/** The most specific recorded position for a validation path (the path itself, else its parents). */
export function positionOf(path: string, positions: ReadonlyMap<string, Range> | undefined): Range | undefined {
  if (positions === undefined) return undefined;
  let p = path === '' ? 'job' : path;
  for (;;) {
    const r = positions.get(p);
    if (r !== undefined) return r;
    const cut = p.lastIndexOf(' → ');
    if (cut < 0) return positions.get('job');
    p = p.slice(0, cut);
  }
}

/** Nomad's multierror text ("1 error occurred:\n\t* …\n\n"), with file:line:col and path prefixes. */
export function formatJobErrors(errors: readonly JobValidationError[], positions?: ReadonlyMap<string, Range>): string {
  const lines = errors.map((e) => {
    const r = positionOf(e.path, positions);
    const where = r === undefined ? '' : `${r.filename}:${r.start.line}:${r.start.column}: `;
    return `\t* ${where}${e.path === '' ? '' : `${e.path}: `}${e.message}`;
  });
  const head = errors.length === 1 ? '1 error occurred:' : `${errors.length} errors occurred:`;
  return `${head}\n${lines.join('\n')}\n\n`;
}

/** Warnings as Nomad's warningsFormatter writes them ("1 warning:\n\n* …"), for "Job Warnings:". */
export function formatWarnings(warnings: readonly string[]): string {
  const head = warnings.length === 1 ? '1 warning:' : `${warnings.length} warnings:`;
  return `${head}\n${warnings.map((w) => `\n* ${w.trim()}`).join('')}`;
}
