// Constraint and affinity evaluation against one node: resolving `${…}` targets, and every operand
// Nomad accepts. distinct_hosts / distinct_property are not checked here (they depend on other
// allocations; see distinct.ts). An unknown operand never matches.
import type { Constraint, Node } from '../structs/index.js';
import { versionMatches, type Version } from './version-constraint.js';

/** Caches of compiled regexps and version constraints, one per evaluation. */
export interface ConstraintCaches {
  regexps: Map<string, RegExp | null>;
  versions: Map<string, ((v: Version) => boolean) | null>;
}

export function newConstraintCaches(): ConstraintCaches {
  return { regexps: new Map(), versions: new Map() };
}

/** The value of a target on a node; `undefined` when the target names something the node lacks. Literals resolve to themselves. */
export function resolveTarget(target: string, node: Node): string | undefined {
  if (!target.startsWith('${')) return target;
  switch (target) {
    case '${node.unique.id}':
      return node.ID;
    case '${node.datacenter}':
      return node.Datacenter;
    case '${node.unique.name}':
      return node.Name;
    case '${node.class}':
      return node.NodeClass;
    case '${node.pool}':
      return node.NodePool;
  }
  if (!target.endsWith('}')) return undefined;
  if (target.startsWith('${attr.')) return node.Attributes[target.slice(7, -1)];
  if (target.startsWith('${meta.')) return node.Meta[target.slice(7, -1)];
  return undefined;
}

/** A target compiled to an accessor, for hot loops that resolve the same target on many nodes. */
export function compileTarget(target: string): (node: Node) => string | undefined {
  if (!target.startsWith('${')) return () => target;
  switch (target) {
    case '${node.unique.id}':
      return (n) => n.ID;
    case '${node.datacenter}':
      return (n) => n.Datacenter;
    case '${node.unique.name}':
      return (n) => n.Name;
    case '${node.class}':
      return (n) => n.NodeClass;
    case '${node.pool}':
      return (n) => n.NodePool;
  }
  if (target.endsWith('}') && target.startsWith('${attr.')) {
    const k = target.slice(7, -1);
    return (n) => n.Attributes[k];
  }
  if (target.endsWith('}') && target.startsWith('${meta.')) {
    const k = target.slice(7, -1);
    return (n) => n.Meta[k];
  }
  return () => undefined;
}

/** Constraints on `unique` targets make every node its own class: they escape the class cache. */
export function targetEscapes(target: string): boolean {
  return target.startsWith('${node.unique.') || target.startsWith('${attr.unique.') || target.startsWith('${meta.unique.') || target.startsWith('${unique.');
}

export function constraintEscapes(c: Pick<Constraint, 'LTarget' | 'RTarget'>): boolean {
  return targetEscapes(c.LTarget) || targetEscapes(c.RTarget);
}

/** How Nomad prints a constraint in metrics: `${attr.kernel.name} = windows`. */
export function constraintString(c: Pick<Constraint, 'LTarget' | 'RTarget' | 'Operand'>): string {
  return `${c.LTarget} ${c.Operand} ${c.RTarget}`;
}

const intRe = /^[+-]?[0-9]+$/;
const floatRe = /^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$/i;

function parseNum(s: string, re: RegExp): number | undefined {
  if (!re.test(s)) return undefined;
  const lower = s.toLowerCase().replace(/^\+/, '');
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan' || lower === '-nan') return NaN;
  return Number(s);
}

function order(op: string, c: number): boolean {
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return false;
  }
}

/** `<`, `<=`, `>`, `>=`: as integers if both parse, else as floats, else lexically. */
export function checkOrder(op: string, l: string, r: string): boolean {
  if (intRe.test(l) && intRe.test(r)) {
    const a = BigInt(l);
    const b = BigInt(r);
    return order(op, a < b ? -1 : a > b ? 1 : 0);
  }
  const lf = parseNum(l, floatRe);
  const rf = parseNum(r, floatRe);
  if (lf !== undefined && rf !== undefined) {
    if (Number.isNaN(lf) || Number.isNaN(rf)) return false;
    return order(op, lf < rf ? -1 : lf > rf ? 1 : 0);
  }
  return order(op, l < r ? -1 : l > r ? 1 : 0);
}

function checkRegexp(l: string, r: string, caches: ConstraintCaches): boolean {
  let re = caches.regexps.get(r);
  if (re === undefined) {
    try {
      re = new RegExp(r);
    } catch {
      re = null;
    }
    caches.regexps.set(r, re);
  }
  return re !== null && re.test(l);
}

const splitSet = (s: string): string[] => s.split(',').map((x) => x.trim());

/** Evaluates one operand on resolved values (`undefined` = not found). */
export function checkOperand(operand: string, l: string | undefined, r: string | undefined, caches: ConstraintCaches): boolean {
  switch (operand) {
    case 'distinct_hosts':
    case 'distinct_property':
      return true;
    case '=':
    case '==':
    case 'is':
      return l !== undefined && r !== undefined && l === r;
    case '!=':
    case 'not':
      return l !== r;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return l !== undefined && r !== undefined && checkOrder(operand, l, r);
    case 'is_set':
      return l !== undefined;
    case 'is_not_set':
      return l === undefined;
    case 'version':
      return l !== undefined && r !== undefined && versionMatches(l, r, false, caches.versions);
    case 'semver':
      return l !== undefined && r !== undefined && versionMatches(l, r, true, caches.versions);
    case 'regexp':
      return l !== undefined && r !== undefined && checkRegexp(l, r, caches);
    case 'set_contains':
    case 'set_contains_all': {
      if (l === undefined || r === undefined) return false;
      const have = new Set(splitSet(l));
      return splitSet(r).every((x) => have.has(x));
    }
    case 'set_contains_any': {
      if (l === undefined || r === undefined) return false;
      const have = new Set(splitSet(l));
      return splitSet(r).some((x) => have.has(x));
    }
    default:
      return false;
  }
}

/** Does the node satisfy the constraint (or match the affinity)? */
export function nodeMeets(c: Pick<Constraint, 'LTarget' | 'RTarget' | 'Operand'>, node: Node, caches: ConstraintCaches): boolean {
  return checkOperand(c.Operand, resolveTarget(c.LTarget, node), resolveTarget(c.RTarget, node), caches);
}
