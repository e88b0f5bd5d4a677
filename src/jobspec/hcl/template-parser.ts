// Reads template token sequences (quoted strings, heredocs, and the bare templates inside JSON
// strings) into flat template items, then builds the template tree. Expressions inside `${ }` and
// `%{ }` are read by the expression parser, passed in as a callback to keep modules acyclic.
import { errorDiag, type Diagnostic } from './diagnostics.js';
import type { Expression } from './ast.js';
import type { Token } from './lexer.js';
import { rangeBetween, type Range } from './pos.js';
import { buildTemplate, type FlatItem } from './template-parts.js';
import type { TokenStream } from './token-stream.js';

export type ReadExpression = () => Expression;

/** Where a template ends and how its literals are interpreted. */
export interface TemplateKind {
  close: 'cquote' | 'cheredoc' | 'eof';
  escapes: boolean;
  flush: boolean;
}

function readIdent(ts: TokenStream, what: string): string {
  const t = ts.next();
  if (t.type !== 'ident') ts.fail('Invalid template directive', `Expected ${what}, but found ${ts.describe(t)}.`, ts.range(t));
  return ts.textOf(t);
}

function readSequenceEnd(ts: TokenStream, opener: Token, what: string): Token {
  const t = ts.next();
  if (t.type !== 'seqend') {
    ts.fail(`Extra characters after ${what}`, `Expected a closing brace to end the ${what}, but found ${ts.describe(t)}.`, ts.range(t), ts.range(opener));
  }
  return t;
}

/** Reads one `%{ … }` directive after its opener token. */
function readDirective(ts: TokenStream, opener: Token, readExpr: ReadExpression): FlatItem {
  const kw = ts.next();
  const word = kw.type === 'ident' ? ts.textOf(kw) : '';
  const stripBefore = opener.strip === true;
  const finish = (): { stripAfter: boolean; range: Range } => {
    const end = readSequenceEnd(ts, opener, `"${word}" directive`);
    return { stripAfter: end.strip === true, range: rangeBetween(ts.range(opener), ts.range(end)) };
  };
  switch (word) {
    case 'if': {
      const cond = readExpr();
      return { kind: 'if', cond, stripBefore, ...finish() };
    }
    case 'for': {
      let keyVar: string | undefined;
      let valVar = readIdent(ts, 'an iterator variable name');
      if (ts.isPunct(ts.peek(), ',')) {
        ts.next();
        keyVar = valVar;
        valVar = readIdent(ts, 'a value variable name');
      }
      const inTok = ts.next();
      if (!ts.isKeyword(inTok, 'in')) ts.fail('Invalid template directive', `Expected "in" after the for directive's variables, but found ${ts.describe(inTok)}.`, ts.range(inTok));
      const collection = readExpr();
      return { kind: 'for', keyVar, valVar, collection, stripBefore, ...finish() };
    }
    case 'else':
    case 'endif':
    case 'endfor':
      return { kind: word, stripBefore, ...finish() };
    default:
      return ts.fail('Invalid template directive', `A template directive keyword ("if", "for", "else", "endif" or "endfor") is expected here, but found ${ts.describe(kw)}.`, ts.range(kw));
  }
}

/**
 * Reads template content up to its closing token (consumed). `open` is the range of the opening
 * quote or heredoc introducer, for "unterminated" messages.
 */
export function readTemplate(ts: TokenStream, kind: TemplateKind, open: Range, readExpr: ReadExpression, diags: Diagnostic[]): { parts: ReturnType<typeof buildTemplate>; end: Token } {
  const flat: FlatItem[] = [];
  for (;;) {
    const t = ts.peekRaw();
    if (t.type === kind.close) {
      ts.nextRaw();
      return { parts: buildTemplate(flat, kind, diags), end: t };
    }
    if (t.type === 'literal') {
      ts.nextRaw();
      flat.push({ kind: 'lit', raw: ts.textOf(t), range: ts.range(t) });
      continue;
    }
    if (t.type === 'interp' || t.type === 'control') {
      ts.nextRaw();
      ts.pushNewlines(false);
      ts.enter(t);
      try {
        if (t.type === 'interp') {
          const expr = readExpr();
          const end = readSequenceEnd(ts, t, 'interpolation');
          flat.push({ kind: 'interp', expr, stripBefore: t.strip === true, stripAfter: end.strip === true, range: rangeBetween(ts.range(t), ts.range(end)) });
        } else {
          flat.push(readDirective(ts, t, readExpr));
        }
      } finally {
        ts.leave();
        ts.popNewlines();
      }
      continue;
    }
    const what = kind.close === 'cheredoc' ? 'heredoc' : 'string';
    diags.push(
      errorDiag(
        'Unterminated template string',
        kind.close === 'cheredoc' ? 'No closing marker was found for this heredoc before the end of the file.' : `No closing quote was found for this ${what}.`,
        ts.range(t),
        rangeBetween(open, ts.range(t)),
      ),
    );
    return { parts: buildTemplate(flat, kind, diags), end: t };
  }
}
