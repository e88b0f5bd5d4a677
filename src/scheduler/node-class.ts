// Computed node classes: nodes that look the same to the scheduler (datacenter, attributes, meta,
// node class, pool — keys under `unique.` excluded) share a class, so feasibility decided for one
// node holds for all of its class within an evaluation (Nomad's Node.ComputeClass).
import type { Node } from '../structs/index.js';

const memo = new WeakMap<Node, string>();

/** Two independent 32-bit string hashes (FNV-1a and a multiplicative one) read as one 64-bit value. */
function hash64(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (BigInt(a >>> 0) * 0x100000000n + BigInt(b >>> 0)).toString();
}

function withoutUnique(m: Record<string, string>): [string, string][] {
  return Object.entries(m)
    .filter(([k]) => !k.startsWith('unique.'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The class hash ("v1:<digits>") of a node, computed from what placement decisions can see. */
export function computeNodeClass(node: Node): string {
  const canonical = JSON.stringify([node.Datacenter, withoutUnique(node.Attributes), withoutUnique(node.Meta), node.NodeClass, node.NodePool]);
  return `v1:${hash64(canonical)}`;
}

/** The node's computed class: the stored one when the server set it, otherwise computed (memoised per node object). */
export function nodeClassOf(node: Node): string {
  if (node.ComputedClass !== '') return node.ComputedClass;
  let c = memo.get(node);
  if (c === undefined) {
    c = computeNodeClass(node);
    memo.set(node, c);
  }
  return c;
}
