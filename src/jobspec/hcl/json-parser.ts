// A JSON parser that keeps what HCL's JSON syntax needs and JSON.parse drops: the order and
// duplicates of object properties, and the source range of every value and property name.
// It never throws; malformed input yields a positioned diagnostic and no value.
import { errorDiag, type Diagnostic } from './diagnostics.js';
import { rangeBetween, SourceMap, type Pos, type Range } from './pos.js';

export type JsonNode =
  | { kind: 'string'; value: string; range: Range; contentStart: Pos }
  | { kind: 'number'; value: number; range: Range }
  | { kind: 'bool'; value: boolean; range: Range }
  | { kind: 'null'; range: Range }
  | { kind: 'array'; items: JsonNode[]; range: Range; openRange: Range }
  | { kind: 'object'; props: JsonProperty[]; range: Range; openRange: Range };

export interface JsonProperty {
  name: string;
  nameRange: Range;
  value: JsonNode;
}

class JsonFailure extends Error {
  readonly diag: Diagnostic;
  constructor(diag: Diagnostic) {
    super(diag.summary);
    this.diag = diag;
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonReader {
  private pos = 0;
  private depth = 0;
  private readonly text: string;
  private readonly map: SourceMap;

  constructor(text: string, map: SourceMap) {
    this.text = text;
    this.map = map;
  }

  private fail(summary: string, detail: string, at: number, len = 1): never {
    throw new JsonFailure(errorDiag(summary, detail, this.map.range(at, Math.min(at + len, this.text.length))));
  }

  private describeAt(p: number): string {
    if (p >= this.text.length) return 'the end of the file';
    return JSON.stringify(this.text[p]);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\uFEFF') this.pos++;
      else break;
    }
  }

  document(): JsonNode {
    const v = this.value();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('Extraneous data after value', `Extra characters appear after the JSON value: found ${this.describeAt(this.pos)}.`, this.pos);
    return v;
  }

  private value(): JsonNode {
    this.skipSpace();
    const t = this.text;
    const start = this.pos;
    const c = t[start];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = start;
      const m = NUMBER.exec(t);
      if (m === null) this.fail('Invalid JSON number', 'A number must have digits after the sign.', start);
      this.pos = start + m[0].length;
      return { kind: 'number', value: Number(m[0]), range: this.map.range(start, this.pos) };
    }
    for (const [word, node] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (t.startsWith(word, start)) {
        this.pos = start + word.length;
        const range = this.map.range(start, this.pos);
        return node === null ? { kind: 'null', range } : { kind: 'bool', value: node, range };
      }
    }
    return this.fail('Invalid JSON value', `Expected a JSON value (object, array, string, number, true, false or null), but found ${this.describeAt(start)}.`, start);
  }

  private enter(at: number): void {
    if (++this.depth > 256) this.fail('Nesting too deep', 'JSON values may nest at most 256 levels.', at);
  }

  private object(): JsonNode {
    const start = this.pos;
    this.enter(start);
    this.pos++;
    const props: JsonProperty[] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
    } else {
      for (;;) {
        this.skipSpace();
        if (this.text[this.pos] !== '"') this.fail('Invalid JSON object property', `Expected a quoted property name, but found ${this.describeAt(this.pos)}.`, this.pos);
        const name = this.string();
        if (name.kind !== 'string') this.fail('Invalid JSON object property', 'Expected a quoted property name.', this.pos);
        this.skipSpace();
        if (this.text[this.pos] !== ':') this.fail('Missing property value colon', `JSON uses a colon as its name/value delimiter, but found ${this.describeAt(this.pos)}.`, this.pos);
        this.pos++;
        const value = this.value();
        props.push({ name: name.value, nameRange: name.range, value });
        this.skipSpace();
        const c = this.text[this.pos];
        this.pos++;
        if (c === '}') break;
        if (c !== ',') this.fail('Missing property separator', `Expected a comma or a closing brace after the property value, but found ${this.describeAt(this.pos - 1)}.`, this.pos - 1);
      }
    }
    this.depth--;
    const openRange = this.map.range(start, start + 1);
    return { kind: 'object', props, range: rangeBetween(openRange, this.map.range(this.pos - 1, this.pos)), openRange };
  }

  private array(): JsonNode {
    const start = this.pos;
    this.enter(start);
    this.pos++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
    } else {
      for (;;) {
        items.push(this.value());
        this.skipSpace();
        const c = this.text[this.pos];
        this.pos++;
        if (c === ']') break;
        if (c !== ',') this.fail('Missing array element separator', `Expected a comma or a closing bracket after the array element, but found ${this.describeAt(this.pos - 1)}.`, this.pos - 1);
      }
    }
    this.depth--;
    const openRange = this.map.range(start, start + 1);
    return { kind: 'array', items, range: rangeBetween(openRange, this.map.range(this.pos - 1, this.pos)), openRange };
  }

  private string(): JsonNode {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    let out = '';
    let runStart = i;
    for (;;) {
      if (i >= t.length) this.fail('Unterminated JSON string', 'No closing quote was found for this string.', start);
      const c = t[i];
      if (c === '"') break;
      if (c === '\n') this.fail('Unterminated JSON string', 'JSON strings may not contain a literal newline; use "\\n".', start);
      if (c === '\\') {
        out += t.slice(runStart, i);
        const sel = t[i + 1] ?? '';
        const simple = ESCAPES[sel];
        if (simple !== undefined) {
          out += simple;
          i += 2;
        } else if (sel === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(t.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          this.fail('Invalid JSON escape', `The escape sequence "\\${sel}" is not valid in JSON.`, i, 2);
        }
        runStart = i;
        continue;
      }
      i++;
    }
    out += t.slice(runStart, i);
    this.pos = i + 1;
    return { kind: 'string', value: out, range: this.map.range(start, this.pos), contentStart: this.map.pos(start + 1) };
  }
}

export function parseJSONDocument(text: string, filename: string): { node: JsonNode | undefined; diagnostics: Diagnostic[] } {
  const map = new SourceMap(text, filename);
  try {
    return { node: new JsonReader(text, map).document(), diagnostics: [] };
  } catch (e) {
    if (e instanceof JsonFailure) return { node: undefined, diagnostics: [e.diag] };
    throw e;
  }
}
