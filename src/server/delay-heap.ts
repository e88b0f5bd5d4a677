// The ordered containers behind the eval broker: a binary heap with a caller-given order, and a
// delay heap (items keyed by ID, earliest deadline first) built on it. Pure data structures: they
// read no clock and arm no timers — the owner decides when "now" is and when to look again.

/** A binary min-heap under `before`: `peek()` is the item no other item comes before. */
export class Heap<T> {
  readonly #items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i] as T, items[parent] as T)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < items.length && this.before(items[l] as T, items[best] as T)) best = l;
      if (r < items.length && this.before(items[r] as T, items[best] as T)) best = r;
      if (best === i) break;
      this.#swap(i, best);
      i = best;
    }
    return top;
  }

  /** Every item in heap order, without removing any. */
  sorted(): T[] {
    return [...this.#items].sort((a, b) => (this.before(a, b) ? -1 : this.before(b, a) ? 1 : 0));
  }

  /** Removes and returns every item, in heap order. */
  drain(): T[] {
    const out = this.sorted();
    this.#items.length = 0;
    return out;
  }

  #swap(i: number, j: number): void {
    const items = this.#items;
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
}

interface DelayEntry<T> {
  readonly id: string;
  readonly at: number;
  readonly seq: number;
  readonly value: T;
}

/**
 * Items waiting until a deadline (milliseconds on the owner's clock), at most one per ID: pushing
 * an ID again replaces its entry. Equal deadlines come out in insertion order.
 */
export class DelayHeap<T> {
  readonly #byId = new Map<string, DelayEntry<T>>();
  readonly #heap = new Heap<DelayEntry<T>>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  #seq = 0;

  get size(): number {
    return this.#byId.size;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  push(id: string, at: number, value: T): void {
    const entry = { id, at, seq: ++this.#seq, value };
    this.#byId.set(id, entry);
    this.#heap.push(entry);
  }

  remove(id: string): boolean {
    // Removal is lazy: the heap keeps the stale entry and skips it when it surfaces.
    return this.#byId.delete(id);
  }

  /** The earliest live entry. */
  peek(): { readonly id: string; readonly at: number; readonly value: T } | undefined {
    this.#dropStale();
    return this.#heap.peek();
  }

  /** Removes and returns, earliest first, every item whose deadline is at or before `now`. */
  popDue(now: number): T[] {
    const due: T[] = [];
    for (let next = this.peek(); next !== undefined && next.at <= now; next = this.peek()) {
      this.#heap.pop();
      this.#byId.delete(next.id);
      due.push(next.value);
    }
    return due;
  }

  values(): T[] {
    return [...this.#byId.values()].map((e) => e.value);
  }

  clear(): void {
    this.#byId.clear();
    this.#heap.drain();
  }

  #dropStale(): void {
    for (let top = this.#heap.peek(); top !== undefined && this.#byId.get(top.id) !== top; top = this.#heap.peek()) this.#heap.pop();
  }
}
