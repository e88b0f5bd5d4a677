// Source positions and ranges of HCL syntax, and the map from string offsets to positions.
// A Pos is 1-based in line and column (a column counts characters, i.e. code points) and 0-based
// in byte (UTF-8). Every AST node carries a Range so diagnostics can point at it and callers can
// slice its source text. This module must stay free of parsing logic.

export interface Pos {
  line: number;
  column: number;
  byte: number;
}

export interface Range {
  filename: string;
  start: Pos;
  end: Pos;
}

/** The smallest range covering both a and b (a must start first). */
export function rangeBetween(a: Range, b: Range): Range {
  return { filename: a.filename, start: a.start, end: b.end };
}

/** An empty range at the start of r, for "missing item" positions. */
export function rangeStart(r: Range): Range {
  return { filename: r.filename, start: r.start, end: r.start };
}

/** "file:12,7-13" as HCL writes ranges inside messages. */
export function formatRange(r: Range): string {
  const end = r.end.line === r.start.line ? `${r.end.column}` : `${r.end.line},${r.end.column}`;
  return `${r.filename}:${r.start.line},${r.start.column}-${end}`;
}

/** The source text a range covers, given the file's UTF-8 bytes. */
export function rangeText(bytes: Uint8Array, r: Range): string {
  return new TextDecoder().decode(bytes.subarray(r.start.byte, r.end.byte));
}

/**
 * Converts UTF-16 string offsets of one source text into Pos values. The text may itself start
 * at a position other than 1:1 (a JSON string parsed as a template starts inside the file).
 */
export class SourceMap {
  readonly filename: string;
  private readonly text: string;
  private readonly lineStarts: number[] = [0];
  /** UTF-8 byte offset of each line start; undefined when the text is ASCII (bytes = offsets). */
  private readonly lineStartBytes: number[] | undefined;
  private readonly base: Pos;

  constructor(text: string, filename: string, base: Pos = { line: 1, column: 1, byte: 0 }) {
    this.text = text;
    this.filename = filename;
    this.base = base;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    if (/^[\x00-\x7f]*$/.test(text)) {
      this.lineStartBytes = undefined;
    } else {
      const encoder = new TextEncoder();
      const starts: number[] = [0];
      let acc = 0;
      for (let l = 1; l < this.lineStarts.length; l++) {
        acc += encoder.encode(text.slice(this.lineStarts[l - 1], this.lineStarts[l])).length;
        starts.push(acc);
      }
      this.lineStartBytes = starts;
    }
  }

  pos(offset: number): Pos {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = starts[lo] ?? 0;
    let column: number;
    let byte: number;
    if (this.lineStartBytes === undefined) {
      column = offset - lineStart + 1;
      byte = offset;
    } else {
      const seg = this.text.slice(lineStart, offset);
      column = 1;
      let segBytes = 0;
      for (const ch of seg) {
        column++;
        const cp = ch.codePointAt(0) ?? 0;
        segBytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      }
      byte = (this.lineStartBytes[lo] ?? 0) + segBytes;
    }
    if (lo === 0) column += this.base.column - 1;
    return { line: this.base.line + lo, column, byte: this.base.byte + byte };
  }

  range(start: number, end: number): Range {
    return { filename: this.filename, start: this.pos(start), end: this.pos(end) };
  }
}
