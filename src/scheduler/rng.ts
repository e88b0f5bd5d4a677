// Seeded randomness for the scheduler. Everything random the scheduler does — the node shuffle,
// dynamic port picks, the IDs of allocations and evaluations it creates — comes from an Rng built
// here from a seed, so the same inputs always give the same plan. Never Math.random.

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n); n must be ≥ 1. */
  intn(n: number): number;
}

/** sfc32 (Small Fast Counting) over a 32-bit seed expanded with splitmix32: fast, small, good enough to shuffle nodes. */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  return {
    next: () => u32() / 4294967296,
    intn: (n: number) => Math.floor((u32() / 4294967296) * n),
  };
}

/**
 * The shuffle seed Nomad uses: the last 8 bytes of the evaluation ID read big-endian, XOR the
 * state index (so a retry after a refresh shuffles differently), shifted right by 2 — folded to
 * 32 bits for our generator.
 */
export function seedFromEval(evalID: string, index: number): number {
  const tail = evalID.slice(-8).padStart(8, '\0');
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(tail.charCodeAt(i) & 0xff);
  v = (v ^ BigInt(Math.max(0, Math.trunc(index)))) >> 2n;
  return Number((v ^ (v >> 32n)) & 0xffffffffn);
}

/** Fisher–Yates, in place. */
export function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.intn(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
}

/** A random (version 4) UUID drawn from the Rng. */
export function rngUUID(rng: Rng): string {
  const hex: string[] = [];
  for (let i = 0; i < 16; i++) {
    let byte = rng.intn(256);
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    if (i === 8) byte = (byte & 0x3f) | 0x80;
    hex.push(byte.toString(16).padStart(2, '0'));
  }
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A seed from any string (FNV-1a), for callers that seed from a name rather than a number. */
export function seedFromString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
