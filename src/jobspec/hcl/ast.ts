// The syntax tree shared by the native and JSON syntaxes, and the schema-driven Body interface
// that hides which syntax a body came from. Expressions are plain data (discriminated by `kind`)
// so other modules (blocks-as-attributes, dynamic blocks) can synthesise them. Every node has a
// source range.
import type { Diagnostic } from './diagnostics.js';
import type { Range } from './pos.js';
import type { Value } from './value.js';

/** One step after a traversal's root: `.name`, `[literal]` or legacy `.0`. */
export type TraversalStep =
  | { kind: 'attr'; name: string; range: Range }
  | { kind: 'index'; key: Value; range: Range };

export type Expression =
  | { kind: 'literal'; value: Value; range: Range }
  | { kind: 'template'; parts: TemplatePart[]; range: Range; jsonString?: JsonStringSource }
  | { kind: 'traversal'; root: string; rootRange: Range; steps: TraversalStep[]; text: string; range: Range }
  | { kind: 'relative'; source: Expression; steps: TraversalStep[]; range: Range }
  | { kind: 'index'; collection: Expression; key: Expression; range: Range; bracketRange: Range }
  | { kind: 'splat'; source: Expression; each: Expression; attrOnly: boolean; range: Range; markerRange: Range }
  | { kind: 'splatItem'; range: Range }
  | { kind: 'call'; name: string; nameRange: Range; args: Expression[]; expandFinal: boolean; range: Range }
  | { kind: 'tuple'; items: Expression[]; range: Range }
  | { kind: 'object'; items: ObjectItem[]; range: Range }
  | { kind: 'binary'; op: BinaryOp; left: Expression; right: Expression; range: Range; opRange: Range }
  | { kind: 'unary'; op: '!' | '-'; operand: Expression; range: Range }
  | { kind: 'conditional'; cond: Expression; then: Expression; else: Expression; range: Range }
  | ForExpression
  | { kind: 'paren'; inner: Expression; range: Range }
  /** An expression evaluated with extra variables in scope (dynamic block iterators). */
  | { kind: 'bound'; inner: Expression; variables: Record<string, Value>; range: Range };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface ObjectItem {
  /** A bare identifier key is a literal string key; anything else is evaluated. */
  key: Expression;
  value: Expression;
}

export interface ForExpression {
  kind: 'for';
  keyVar: string | undefined;
  valVar: string;
  collection: Expression;
  /** The `k =>` expression of an object for-expression; undefined for tuple for-expressions. */
  keyExpr: Expression | undefined;
  valExpr: Expression;
  cond: Expression | undefined;
  group: boolean;
  range: Range;
  openRange: Range;
}

export type TemplatePart =
  | { kind: 'lit'; value: string; range: Range }
  | { kind: 'interp'; expr: Expression; range: Range }
  | { kind: 'if'; cond: Expression; then: TemplatePart[]; else: TemplatePart[]; range: Range }
  | { kind: 'for'; keyVar: string | undefined; valVar: string; collection: Expression; body: TemplatePart[]; range: Range };

/** Where a JSON string template came from, so it can be re-read as a native expression (types, keywords). */
export interface JsonStringSource {
  value: string;
  /** Range of the string's content, without the quotes. */
  contentRange: Range;
}

export interface AttributeSchema {
  name: string;
  required?: boolean;
}
export interface BlockHeaderSchema {
  type: string;
  labelNames: string[];
}
export interface BodySchema {
  attributes: AttributeSchema[];
  blocks: BlockHeaderSchema[];
}

export interface Attribute {
  name: string;
  expr: Expression;
  range: Range;
  nameRange: Range;
}

export interface Block {
  type: string;
  labels: string[];
  labelRanges: Range[];
  body: Body;
  typeRange: Range;
  /** From the type name to the opening brace: where "this block" is. */
  defRange: Range;
}

export interface BodyContent {
  attributes: Record<string, Attribute>;
  blocks: Block[];
  missingItemRange: Range;
}

export interface Body {
  /** Reads the body against a schema; anything the schema does not name is an error. */
  content(schema: BodySchema): { content: BodyContent; diagnostics: Diagnostic[] };
  /** Reads what the schema names; the rest is returned as `remain` for a later read. */
  partialContent(schema: BodySchema): { content: BodyContent; remain: Body; diagnostics: Diagnostic[] };
  /** Reads every item as an attribute (maps such as meta, env and locals); blocks are errors. */
  justAttributes(): { attributes: Record<string, Attribute>; diagnostics: Diagnostic[] };
  /**
   * Reads every item as an attribute for schema-less data such as a driver's `config`: nested
   * blocks become list-of-object attributes, as Nomad's hclutil.BlocksAsAttrs does.
   */
  blocksAsAttributes(): { attributes: Record<string, Attribute>; diagnostics: Diagnostic[] };
  readonly range: Range;
  /** Where an item missing from this body would go (the opening brace, or the file start). */
  readonly missingItemRange: Range;
}

export interface File {
  body: Body;
  /** The source as UTF-8 bytes; Range.byte offsets index into it. */
  bytes: Uint8Array;
}
