// Turns the flat sequence of template pieces the parser read (literal text, interpolations and
// directive markers) into the template tree: decodes escapes, removes the common indentation of
// `<<-` heredocs, applies `~` strip markers, and nests `%{ if }`/`%{ for }` directives.
import { errorDiag, type Diagnostic } from './diagnostics.js';
import type { Expression, TemplatePart } from './ast.js';
import type { Range } from './pos.js';

interface Strip {
  stripBefore: boolean;
  stripAfter: boolean;
  range: Range;
}

export type FlatItem =
  | { kind: 'lit'; raw: string; range: Range }
  | ({ kind: 'interp'; expr: Expression } & Strip)
  | ({ kind: 'if'; cond: Expression } & Strip)
  | ({ kind: 'for'; keyVar: string | undefined; valVar: string; collection: Expression } & Strip)
  | ({ kind: 'else' | 'endif' | 'endfor' } & Strip);

export interface TemplateStyle {
  /** Backslash escapes (quoted templates only). */
  escapes: boolean;
  /** Remove the smallest common indentation (`<<-` heredocs). */
  flush: boolean;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Decodes one literal; invalid escapes are reported and kept verbatim. Like hclsyntax, the result is in Unicode NFC. */
export function decodeLiteral(raw: string, escapes: boolean, range: Range, diags: Diagnostic[]): string {
  if (!raw.includes('\\') && !raw.includes('{')) return raw.normalize('NFC');
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += `${c}{`;
      i += 2;
      continue;
    }
    if (escapes && c === '\\') {
      const sel = raw[i + 1] ?? '';
      const simple = SIMPLE_ESCAPES[sel];
      if (simple !== undefined) {
        out += simple;
        i++;
        continue;
      }
      if (sel === 'u' || sel === 'U') {
        const len = sel === 'u' ? 4 : 8;
        const hex = raw.slice(i + 2, i + 2 + len);
        const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === len ? Number.parseInt(hex, 16) : NaN;
        if (Number.isInteger(cp) && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
          out += String.fromCodePoint(cp);
          i += 1 + len;
          continue;
        }
        diags.push(errorDiag('Invalid escape sequence', `The \\${sel} escape must be followed by ${len} hexadecimal digits naming a Unicode character.`, range));
        out += c;
        continue;
      }
      diags.push(errorDiag('Invalid escape sequence', `The symbol ${JSON.stringify(sel)} is not a valid escape sequence selector.`, range));
      out += c;
      continue;
    }
    out += c;
  }
  return out.normalize('NFC');
}

interface Lit {
  kind: 'lit';
  value: string;
  range: Range;
}
type Decoded = Lit | Exclude<FlatItem, { kind: 'lit' }>;

/** `<<-` heredocs: strip the smallest indentation of the lines' leading literals (blank lines excluded). */
function flushIndent(items: Decoded[]): void {
  let min = Infinity;
  let atLineStart = true;
  const adjust: Lit[] = [];
  for (const it of items) {
    if (atLineStart) {
      if (it.kind === 'lit') {
        const trimmed = it.value.replace(/^[ \t]+/, '');
        if (trimmed === '\n' || trimmed === '\r\n' || (trimmed === '' && it.value.endsWith('\n'))) {
          // blank line: not counted
        } else {
          min = Math.min(min, it.value.length - trimmed.length);
          adjust.push(it);
        }
      } else {
        min = 0;
      }
    }
    atLineStart = it.kind === 'lit' && it.value.endsWith('\n');
  }
  if (!Number.isFinite(min) || min === 0) return;
  for (const lit of adjust) lit.value = lit.value.slice(min);
}

function applyStrips(items: Decoded[]): void {
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (it === undefined || it.kind === 'lit') continue;
    const prev = items[i - 1];
    const next = items[i + 1];
    if (it.stripBefore && prev?.kind === 'lit') prev.value = prev.value.replace(/\s+$/u, '');
    if (it.stripAfter && next?.kind === 'lit') next.value = next.value.replace(/^\s+/u, '');
  }
}

type Frame =
  | { kind: 'root'; parts: TemplatePart[] }
  | { kind: 'if'; cond: Expression; then: TemplatePart[]; else: TemplatePart[]; inElse: boolean; range: Range }
  | { kind: 'for'; keyVar: string | undefined; valVar: string; collection: Expression; body: TemplatePart[]; range: Range };

function current(f: Frame): TemplatePart[] {
  if (f.kind === 'root') return f.parts;
  if (f.kind === 'for') return f.body;
  return f.inElse ? f.else : f.then;
}

export function buildTemplate(flat: FlatItem[], style: TemplateStyle, diags: Diagnostic[]): TemplatePart[] {
  const items: Decoded[] = flat.map((it) => (it.kind === 'lit' ? { kind: 'lit', value: decodeLiteral(it.raw, style.escapes, it.range, diags), range: it.range } : it));
  if (style.flush) flushIndent(items);
  applyStrips(items);

  const root: Frame = { kind: 'root', parts: [] };
  const stack: Frame[] = [root];
  const top = (): Frame => stack[stack.length - 1] ?? root;
  for (const it of items) {
    switch (it.kind) {
      case 'lit': {
        if (it.value === '') break;
        const parts = current(top());
        const last = parts[parts.length - 1];
        // Heredoc lines arrive as separate literals; join them so evaluation concatenates less.
        if (last?.kind === 'lit') parts[parts.length - 1] = { kind: 'lit', value: last.value + it.value, range: { ...last.range, end: it.range.end } };
        else parts.push({ kind: 'lit', value: it.value, range: it.range });
        break;
      }
      case 'interp':
        current(top()).push({ kind: 'interp', expr: it.expr, range: it.range });
        break;
      case 'if':
        stack.push({ kind: 'if', cond: it.cond, then: [], else: [], inElse: false, range: it.range });
        break;
      case 'for':
        stack.push({ kind: 'for', keyVar: it.keyVar, valVar: it.valVar, collection: it.collection, body: [], range: it.range });
        break;
      case 'else': {
        const f = top();
        if (f.kind !== 'if' || f.inElse) diags.push(errorDiag('Unexpected "else" directive', 'An "else" directive must follow an "if" directive, once.', it.range));
        else f.inElse = true;
        break;
      }
      case 'endif':
      case 'endfor': {
        const want = it.kind === 'endif' ? 'if' : 'for';
        const f = top();
        if (f.kind !== want) {
          diags.push(errorDiag(`Unexpected "${it.kind}" directive`, `There is no open "${want}" directive for this "${it.kind}" to close.`, it.range));
          break;
        }
        stack.pop();
        const range = { ...f.range, end: it.range.end };
        if (f.kind === 'if') current(top()).push({ kind: 'if', cond: f.cond, then: f.then, else: f.else, range });
        else if (f.kind === 'for') current(top()).push({ kind: 'for', keyVar: f.keyVar, valVar: f.valVar, collection: f.collection, body: f.body, range });
        break;
      }
    }
  }
  for (const f of stack.slice(1).reverse()) {
    if (f.kind === 'root') continue;
    const end = f.kind === 'if' ? 'endif' : 'endfor';
    diags.push(errorDiag('Unterminated template directive', `The "${f.kind}" directive has no corresponding "%{ ${end} }".`, f.range));
  }
  return root.parts;
}
