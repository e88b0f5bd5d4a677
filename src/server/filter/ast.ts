// The syntax tree of a filter expression, as the parser builds it and the evaluator walks it.
// Plain data: no behaviour, no references back to source text beyond offsets for error messages.

/** A path into the object being filtered: `Meta.owner`, `TaskStates["web"].State`, `"/Meta/owner"`. */
export interface Selector {
  readonly path: readonly string[];
  /** The selector as written, for messages. */
  readonly text: string;
  readonly offset: number;
}

/** The right-hand side of a match, always kept as text: it is coerced to the selected field's type. */
export interface MatchValue {
  readonly raw: string;
  readonly offset: number;
}

export type MatchOperator = '==' | '!=' | 'in' | 'not in' | 'is empty' | 'is not empty' | 'is nil' | 'is not nil' | 'matches' | 'not matches';

export interface MatchExpr {
  readonly kind: 'match';
  readonly operator: MatchOperator;
  /** The operator as written (`contains` is stored as `in`; this keeps the user's word). */
  readonly written: string;
  readonly selector: Selector;
  readonly value: MatchValue | null;
  /** Compiled once at parse time for `matches` / `not matches`. */
  readonly regex: RegExp | null;
  readonly offset: number;
}

/** How `any`/`all` name the things they iterate over. */
export type Binding =
  /** `as x`: the element of a list, the key of a map. */
  | { readonly mode: 'default'; readonly name: string }
  /** `as i, v`: the index (or key) and the element (or value). */
  | { readonly mode: 'index-value'; readonly index: string; readonly value: string }
  /** `as i, _` */
  | { readonly mode: 'index'; readonly index: string }
  /** `as _, v` */
  | { readonly mode: 'value'; readonly value: string };

export interface CollectionExpr {
  readonly kind: 'any' | 'all';
  readonly selector: Selector;
  readonly binding: Binding;
  readonly inner: Expr;
  readonly offset: number;
}

export interface LogicalExpr {
  readonly kind: 'and' | 'or';
  readonly left: Expr;
  readonly right: Expr;
}

export interface NotExpr {
  readonly kind: 'not';
  readonly operand: Expr;
}

export type Expr = LogicalExpr | NotExpr | MatchExpr | CollectionExpr;
