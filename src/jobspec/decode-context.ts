// The shared machinery of the jobspec decoder: evaluating attributes and converting their values
// to the types Nomad's api structs declare (string, int, bool, duration, lists and maps), with
// positioned diagnostics in HCL's wording, reading bodies against a schema, the "one block of
// this type" rule, and the record of where each part of the job came from (for validation errors).
// It never throws on user input: every problem becomes a Diagnostic.
import { convertValue } from './functions/conversion.js';
import type { HclType } from './functions/types.js';
import { errorDiag, evaluate, formatRange, isObject, type Attribute, type Block, type Body, type BodyContent, type Diagnostic, type EvalContext, type Range, type Value } from './hcl/index.js';
import { parseDuration } from '../structs/duration.js';
import { toBodySchema, type BlockSchema } from './schema.js';

const STRING: HclType = { kind: 'string' };
const NUMBER: HclType = { kind: 'number' };
const BOOL: HclType = { kind: 'bool' };
const STRING_LIST: HclType = { kind: 'list', elem: STRING };
const STRING_MAP: HclType = { kind: 'map', elem: STRING };
const STRING_LIST_MAP: HclType = { kind: 'map', elem: STRING_LIST };

/** Drops undefined fields, so an absent attribute stays absent (a nil pointer in Nomad's api structs). */
export function compact<T extends object>(o: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

export class DecodeContext {
  readonly diags: Diagnostic[] = [];
  /** Where each decoded part of the job was written, keyed by its validation path. */
  readonly positions = new Map<string, Range>();
  readonly ctx: EvalContext;

  constructor(ctx: EvalContext) {
    this.ctx = ctx;
  }

  /** Reads a body against a block schema; unknown items become "Unsupported …" diagnostics. */
  content(body: Body, schema: BlockSchema): BodyContent {
    const { content, diagnostics } = body.content(toBodySchema(schema));
    this.diags.push(...diagnostics);
    return content;
  }

  /** Records a block's position under a validation path. */
  mark(path: string, range: Range): void {
    if (!this.positions.has(path)) this.positions.set(path, range);
  }

  /** The value of an attribute, or undefined when it is absent, null, or failed to evaluate. */
  value(attr: Attribute | undefined): Value | undefined {
    if (attr === undefined) return undefined;
    const r = evaluate(attr.expr, this.ctx);
    if (r.diagnostics.length > 0) {
      this.diags.push(...r.diagnostics);
      return undefined;
    }
    return r.value === null ? undefined : r.value;
  }

  private typeError(attr: Attribute, message: string): undefined {
    this.diags.push(errorDiag('Incorrect attribute value type', `Inappropriate value for attribute "${attr.name}": ${message.replace(/\.$/, '')}.`, attr.expr.range, attr.range));
    return undefined;
  }

  private convert(attr: Attribute | undefined, type: HclType): Value | undefined {
    const v = this.value(attr);
    if (v === undefined || attr === undefined) return undefined;
    try {
      return convertValue(v, type);
    } catch (e) {
      return this.typeError(attr, e instanceof Error ? e.message : String(e));
    }
  }

  string(attr: Attribute | undefined): string | undefined {
    const v = this.convert(attr, STRING);
    return typeof v === 'string' ? v : undefined;
  }

  bool(attr: Attribute | undefined): boolean | undefined {
    const v = this.convert(attr, BOOL);
    return typeof v === 'boolean' ? v : undefined;
  }

  /** A whole number (Go int), optionally within [min, max] as the Go type allows (uint8, int8…). */
  int(attr: Attribute | undefined, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.convert(attr, NUMBER);
    if (typeof v !== 'number' || attr === undefined) return undefined;
    if (!Number.isInteger(v)) return this.typeError(attr, 'a whole number is required');
    if (v < min || v > max) return this.typeError(attr, `a number between ${min} and ${max} is required`);
    return v;
  }

  /** A duration: a Go duration string ("30s", "1h30m") or a number of nanoseconds, as Nomad's decodeDuration. */
  duration(attr: Attribute | undefined): number | undefined {
    const v = this.value(attr);
    if (v === undefined || attr === undefined) return undefined;
    if (typeof v === 'number') {
      if (Number.isInteger(v)) return v;
      return this.badDuration(attr, `${v} is not a whole number of nanoseconds`);
    }
    if (typeof v !== 'string') return this.badDuration(attr, `expected a string but found ${Array.isArray(v) ? 'a list' : isObject(v) ? 'an object' : typeof v}`);
    try {
      return parseDuration(v);
    } catch (e) {
      return this.badDuration(attr, e instanceof Error ? e.message : String(e));
    }
  }

  private badDuration(attr: Attribute, why: string): undefined {
    this.diags.push(errorDiag('Unsuitable value type', `Unsuitable duration value for "${attr.name}": ${why}.`, attr.expr.range, attr.range));
    return undefined;
  }

  stringList(attr: Attribute | undefined): string[] | undefined {
    const v = this.convert(attr, STRING_LIST);
    return Array.isArray(v) ? (v as string[]) : undefined;
  }

  stringMap(attr: Attribute | undefined): Record<string, string> | undefined {
    const v = this.convert(attr, STRING_MAP);
    return v !== undefined && isObject(v) ? (v as Record<string, string>) : undefined;
  }

  stringListMap(attr: Attribute | undefined): Record<string, string[]> | undefined {
    const v = this.convert(attr, STRING_LIST_MAP);
    return v !== undefined && isObject(v) ? (v as Record<string, string[]>) : undefined;
  }

  /** A body of `key = value` string attributes (meta, env, options, headers…), as a map. */
  attributeMap(body: Body): Record<string, string> {
    const { attributes, diagnostics } = body.justAttributes();
    this.diags.push(...diagnostics);
    const out: Record<string, string> = {};
    for (const [k, attr] of Object.entries(attributes)) {
      const s = this.string(attr);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }

  /** The only block of a type, or undefined; a second one is "Duplicate <type> block", as gohcl says. */
  single(blocks: Block[], type: string): Block | undefined {
    const of = blocks.filter((b) => b.type === type);
    const first = of[0];
    for (const extra of of.slice(1)) {
      this.diags.push(errorDiag(`Duplicate ${type} block`, `Only one ${type} block is allowed. Another was defined at ${formatRange(first?.defRange ?? extra.defRange)}.`, extra.defRange));
    }
    return first;
  }

  error(summary: string, detail: string, subject?: Range): void {
    this.diags.push(errorDiag(summary, detail, subject));
  }
}

/** Blocks of one type from a body's content. */
export function blocksOf(content: BodyContent, type: string): Block[] {
  return content.blocks.filter((b) => b.type === type);
}

/**
 * `meta`/`env` may be written as a block or as a map attribute (Nomad's decodeAsAttribute). Returns
 * the map (or undefined when neither is present) and the body without that attribute.
 */
export function mapBlockOrAttribute(dc: DecodeContext, body: Body, name: string): { value: Record<string, string> | undefined; rest: Body } {
  const { content, remain, diagnostics } = body.partialContent({ attributes: [{ name }], blocks: [] });
  dc.diags.push(...diagnostics);
  const attr = content.attributes[name];
  if (attr === undefined) return { value: undefined, rest: body };
  const blocks = remain.partialContent({ attributes: [], blocks: [{ type: name, labelNames: [] }] });
  const dup = blocks.content.blocks[0];
  if (dup !== undefined) {
    dc.error(`Duplicate ${name} block`, `${name} may not be defined more than once. Another definition is defined at ${formatRange(attr.range)}.`, dup.defRange);
    return { value: undefined, rest: blocks.remain };
  }
  return { value: dc.stringMap(attr) ?? {}, rest: remain };
}
