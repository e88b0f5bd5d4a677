// Placement rules attached to jobs, groups and tasks: constraints, affinities and spreads, in
// Nomad's JSON shape. Operands are the strings Nomad accepts; the scheduler owns their meaning.

export const CONSTRAINT_OPERANDS = [
  '=',
  '==',
  'is',
  '!=',
  'not',
  '<',
  '<=',
  '>',
  '>=',
  'regexp',
  'version',
  'semver',
  'set_contains',
  'set_contains_all',
  'set_contains_any',
  'is_set',
  'is_not_set',
  'distinct_hosts',
  'distinct_property',
] as const;
export type ConstraintOperand = (typeof CONSTRAINT_OPERANDS)[number];

export interface Constraint {
  LTarget: string;
  RTarget: string;
  Operand: string;
}

export interface Affinity {
  LTarget: string;
  RTarget: string;
  Operand: string;
  /** -100..100, never 0. */
  Weight: number;
}

export interface SpreadTarget {
  Value: string;
  Percent: number;
}

export interface Spread {
  Attribute: string;
  /** 0..100 */
  Weight: number;
  SpreadTarget: SpreadTarget[] | null;
}
