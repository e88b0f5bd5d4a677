// The filter grammar: go-bexpr's language as Nomad's list endpoints accept it, parsed by
// recursive descent into the tree in ast.ts. Precedence, loosest first: `or`, `and`, `not`, then
// a parenthesised expression, an `any`/`all` collection expression, or a match. Keywords are not
// reserved (a field may be called `not` or `in`), so the parser backtracks where go-bexpr's PEG
// does and reports the farthest failure. Regular expressions are compiled here, once. It must
// never look at the objects being filtered.
import type { Binding, CollectionExpr, Expr, MatchExpr, MatchOperator, MatchValue, Selector } from './ast.js';
import { Cursor, NoMatch } from './scanner.js';
import { RegexSyntaxError, translateGoRegex } from '../../jobspec/functions/regex-syntax.js';

/** Deeper nesting than this is refused, so a hostile filter cannot exhaust the stack. */
export const MAX_NESTING = 100;

/** Parses a filter expression; throws FilterError (kind "parse") with the position of the problem. */
export function parseFilter(src: string): Expr {
  const cur = new Cursor(src);
  try {
    cur.space();
    const expr = parseOr(cur, 0);
    cur.space();
    if (!cur.atEnd()) cur.fail('end of input');
    return expr;
  } catch (err) {
    if (err instanceof NoMatch) throw cur.farthestError();
    throw err;
  }
}

function parseOr(cur: Cursor, depth: number): Expr {
  let left = parseAnd(cur, depth);
  for (;;) {
    const save = cur.pos;
    cur.space();
    if (!cur.keyword('or')) {
      cur.pos = save;
      return left;
    }
    cur.space();
    left = { kind: 'or', left, right: parseAnd(cur, depth) };
  }
}

function parseAnd(cur: Cursor, depth: number): Expr {
  let left = parseNot(cur, depth);
  for (;;) {
    const save = cur.pos;
    cur.space();
    if (!cur.keyword('and')) {
      cur.pos = save;
      return left;
    }
    cur.space();
    left = { kind: 'and', left, right: parseNot(cur, depth) };
  }
}

function parseNot(cur: Cursor, depth: number): Expr {
  const start = cur.pos;
  if (cur.keyword('not')) {
    guardDepth(cur, depth);
    try {
      cur.space();
      const operand = parseNot(cur, depth + 1);
      return operand.kind === 'not' ? operand.operand : { kind: 'not', operand };
    } catch (err) {
      if (!(err instanceof NoMatch)) throw err;
      // `not` may itself be a field name: `not == 1`.
      cur.pos = start;
    }
  }
  return parsePrimary(cur, depth);
}

function parsePrimary(cur: Cursor, depth: number): Expr {
  if (cur.punct('(')) {
    guardDepth(cur, depth);
    cur.space();
    const inner = parseOr(cur, depth + 1);
    cur.space();
    if (!cur.punct(')')) throw new NoMatch();
    return inner;
  }
  const start = cur.pos;
  for (const kind of ['any', 'all'] as const) {
    if (!cur.isKeyword(kind)) continue;
    try {
      guardDepth(cur, depth);
      return parseCollection(cur, kind, depth);
    } catch (err) {
      if (!(err instanceof NoMatch)) throw err;
      // `any` may itself be a field name: `any == true`.
      cur.pos = start;
    }
  }
  return parseMatch(cur);
}

function guardDepth(cur: Cursor, depth: number): void {
  if (depth >= MAX_NESTING) cur.hardError(`the filter nests more than ${MAX_NESTING} levels deep`);
}

// ---- any / all ----

function parseCollection(cur: Cursor, kind: 'any' | 'all', depth: number): CollectionExpr {
  const offset = cur.pos;
  cur.keyword(kind);
  if (!cur.space()) cur.fail('whitespace');
  const selector = parseSelector(cur);
  cur.space();
  if (!cur.keyword('as')) throw new NoMatch();
  cur.space();
  const binding = parseBinding(cur);
  cur.space();
  if (!cur.punct('{')) throw new NoMatch();
  cur.space();
  const inner = parseOr(cur, depth + 1);
  cur.space();
  if (!cur.punct('}')) throw new NoMatch();
  return { kind, selector, binding, inner, offset };
}

function parseBinding(cur: Cursor): Binding {
  const start = cur.pos;
  const name = (): string => {
    if (cur.isKeyword('_')) {
      cur.pos++;
      return '_';
    }
    return cur.identifier();
  };
  const first = name();
  const save = cur.pos;
  cur.space();
  if (!cur.punct(',')) {
    cur.pos = save;
    if (first === '_') cur.fail('","');
    return { mode: 'default', name: first };
  }
  cur.space();
  const second = name();
  if (first === '_' && second === '_') cur.hardError('"_, _" binds nothing: name the index, the value, or both', start);
  if (first === '_') return { mode: 'value', value: second };
  if (second === '_') return { mode: 'index', index: first };
  if (first === second) cur.hardError(`${JSON.stringify(first)} cannot name both the index and the value`, start);
  return { mode: 'index-value', index: first, value: second };
}

// ---- matches ----

/** What stands left of the operator: a selector, or a value (for `value in selector`), or both. */
interface Operand {
  readonly selector: Selector | null;
  readonly value: MatchValue;
}

function parseMatch(cur: Cursor): MatchExpr {
  const offset = cur.pos;
  const left = parseOperand(cur);
  cur.space();
  const sel = left.selector;
  const match = (operator: MatchOperator, written: string, selector: Selector, value: MatchValue | null): MatchExpr => ({
    kind: 'match',
    operator,
    written,
    selector,
    value,
    regex: operator === 'matches' || operator === 'not matches' ? compileRegex(cur, value) : null,
    offset,
  });
  if (sel !== null) {
    for (const op of ['==', '!='] as const) {
      if (cur.punct(op)) {
        cur.space();
        return match(op, op, sel, parseValue(cur));
      }
    }
    for (const [word, op] of [['contains', 'in'], ['matches', 'matches']] as const) {
      if (cur.keyword(word)) {
        cur.space();
        return match(op, word, sel, parseValue(cur));
      }
    }
    if (cur.keyword('is')) {
      cur.space();
      const negated = cur.keyword('not');
      if (negated) cur.space();
      if (cur.keyword('empty')) return match(negated ? 'is not empty' : 'is empty', negated ? 'is not empty' : 'is empty', sel, null);
      if (cur.keyword('nil')) return match(negated ? 'is not nil' : 'is nil', negated ? 'is not nil' : 'is nil', sel, null);
      throw new NoMatch();
    }
  }
  if (cur.keyword('in')) {
    cur.space();
    return match('in', 'in', parseSelector(cur), left.value);
  }
  if (cur.keyword('not')) {
    cur.space();
    if (cur.keyword('in')) {
      cur.space();
      return match('not in', 'not in', parseSelector(cur), left.value);
    }
    if (sel !== null) {
      for (const [word, op] of [['contains', 'not in'], ['matches', 'not matches']] as const) {
        if (cur.keyword(word)) {
          cur.space();
          return match(op, `not ${word}`, sel, parseValue(cur));
        }
      }
    }
  }
  throw new NoMatch();
}

function compileRegex(cur: Cursor, value: MatchValue | null): RegExp | null {
  if (value === null) return null;
  try {
    const { source, flags } = translateGoRegex(value.raw);
    return new RegExp(source, flags);
  } catch (err) {
    if (!(err instanceof RegexSyntaxError) && !(err instanceof SyntaxError)) throw err;
    return cur.hardError(`invalid regular expression ${JSON.stringify(value.raw)}: ${err.message}`, value.offset);
  }
}

/** A selector or a value; a "/json/pointer" string is both, as in go-bexpr. */
function parseOperand(cur: Cursor): Operand {
  const offset = cur.pos;
  if (cur.atIdentifier()) {
    const selector = parseDottedSelector(cur);
    return { selector, value: { raw: selector.path.join('.'), offset } };
  }
  if (cur.atString()) {
    const raw = cur.string();
    return { selector: pointerSelector(cur, offset), value: { raw, offset } };
  }
  if (cur.peek() === '-' || /[0-9]/.test(cur.peek())) return { selector: null, value: { raw: cur.number(), offset } };
  return cur.fail('a selector or value');
}

/** The value right of ==, !=, contains and matches: a bare word, a number or a string, kept as text. */
function parseValue(cur: Cursor): MatchValue {
  const offset = cur.pos;
  if (cur.atIdentifier()) return { raw: parseDottedSelector(cur).path.join('.'), offset };
  if (cur.atString()) return { raw: cur.string(), offset };
  if (cur.peek() === '-' || /[0-9]/.test(cur.peek())) return { raw: cur.number(), offset };
  return cur.fail('a value');
}

/** A selector where only a selector will do (right of `in`, after `any`/`all`). */
function parseSelector(cur: Cursor): Selector {
  const offset = cur.pos;
  if (cur.atIdentifier()) return parseDottedSelector(cur);
  if (cur.peek() === '"') {
    cur.string();
    const sel = pointerSelector(cur, offset);
    if (sel !== null) return sel;
    cur.pos = offset;
  }
  return cur.fail('a selector (like Meta.owner or "/Meta/owner")');
}

/** `Ident ( "." Ident | "." digits | "[" "key" "]" )*` */
function parseDottedSelector(cur: Cursor): Selector {
  const offset = cur.pos;
  const path = [cur.identifier()];
  for (;;) {
    if (cur.peek() === '.') {
      cur.pos++;
      const digits = /^[0-9]+/.exec(cur.src.slice(cur.pos));
      if (digits !== null) {
        cur.pos += digits[0].length;
        path.push(digits[0]);
      } else if (cur.atIdentifier()) {
        path.push(cur.identifier());
      } else {
        cur.fail('a field name or index after "."');
      }
    } else if (cur.peek() === '[') {
      cur.pos++;
      cur.space();
      if (!cur.atString()) cur.fail('a quoted key like ["name"]');
      path.push(cur.string());
      cur.space();
      if (!cur.punct(']')) throw new NoMatch();
    } else {
      return { path, text: cur.src.slice(offset, cur.pos), offset };
    }
  }
}

const POINTER = /^"((?:\/[\p{L}\p{N}\-_.~:|]+)*)"$/u;

/** The string just read (from `offset`) as a JSON Pointer selector, or null if it is not one. */
function pointerSelector(cur: Cursor, offset: number): Selector | null {
  const text = cur.src.slice(offset, cur.pos);
  const m = POINTER.exec(text);
  if (m === null) return null;
  const path = (m[1] ?? '')
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'));
  return { path, text, offset };
}
