// Dynamic blocks (HCL's dynblock extension): `dynamic "label" { for_each, iterator, labels,
// content { … } }` expands into one "label" block per element, lazily, when a schema asks for
// that block type. The iterator (default: the label) is an object { key, value } in scope for the
// block's content, including nested dynamic blocks.
import type { Attribute, Block, Body, BodyContent, BodySchema, Expression } from './ast.js';
import { errorDiag, suggestionSuffix, type Diagnostic } from './diagnostics.js';
import { sortedKeys } from './convert.js';
import { evaluate, type EvalContext } from './evaluator.js';
import { exprAsKeyword } from './traversals.js';
import { isObject, typeName, type Value } from './value.js';

const DYNAMIC_SCHEMA = { type: 'dynamic', labelNames: ['type'] };
const DYNAMIC_BODY_SCHEMA: BodySchema = {
  attributes: [{ name: 'for_each', required: true }, { name: 'iterator' }, { name: 'labels' }],
  blocks: [{ type: 'content', labelNames: [] }],
};

class DynamicBody implements Body {
  private readonly base: Body;
  private readonly ctx: EvalContext;
  private readonly iteration: Record<string, Value>;
  /** Block types an earlier partialContent consumed, whose dynamic blocks are not this body's any more. */
  private readonly consumed: ReadonlySet<string>;

  constructor(base: Body, ctx: EvalContext, iteration: Record<string, Value>, consumed: ReadonlySet<string>) {
    this.base = base;
    this.ctx = ctx;
    this.iteration = iteration;
    this.consumed = consumed;
  }

  get range(): Body['range'] {
    return this.base.range;
  }
  get missingItemRange(): Body['missingItemRange'] {
    return this.base.missingItemRange;
  }

  private wrapExpr(expr: Expression): Expression {
    return Object.keys(this.iteration).length === 0 ? expr : { kind: 'bound', inner: expr, variables: this.iteration, range: expr.range };
  }
  private wrapAttrs(attrs: Record<string, Attribute>): Record<string, Attribute> {
    const out: Record<string, Attribute> = {};
    for (const [k, a] of Object.entries(attrs)) out[k] = { ...a, expr: this.wrapExpr(a.expr) };
    return out;
  }
  private wrapBlock(b: Block): Block {
    return { ...b, body: new DynamicBody(b.body, this.ctx, this.iteration, new Set()) };
  }

  private evalCtx(iteration: Record<string, Value>): EvalContext {
    return { ...this.ctx, variables: { ...this.ctx.variables, ...iteration } };
  }

  private dynamicBlocks(diags: Diagnostic[]): Block[] {
    const r = this.base.partialContent({ attributes: [], blocks: [DYNAMIC_SCHEMA] });
    diags.push(...r.diagnostics);
    return r.content.blocks.filter((b) => !this.consumed.has(b.labels[0] ?? ''));
  }

  /** The static blocks, plus each dynamic block the schema wants, expanded in its place. */
  private read(schema: BodySchema, full: boolean): { content: BodyContent; remain: Body; diagnostics: Diagnostic[] } {
    const r = full ? { ...this.base.content({ ...schema, blocks: [...schema.blocks, DYNAMIC_SCHEMA] }), remain: this.base } : this.base.partialContent(schema);
    const diagnostics = r.diagnostics;
    const wanted = new Map(schema.blocks.map((b) => [b.type, b]));
    const blocks: Block[] = r.content.blocks.filter((b) => b.type !== 'dynamic').map((b) => this.wrapBlock(b));
    for (const dyn of this.dynamicBlocks(full ? [] : diagnostics)) {
      const label = dyn.labels[0] ?? '';
      const s = wanted.get(label);
      if (s === undefined) {
        if (full) diagnostics.push(errorDiag('Unsupported block type', `Blocks of type "${label}" are not expected here.${suggestionSuffix(label, wanted.keys())}`, dyn.labelRanges[0] ?? dyn.typeRange));
        continue;
      }
      blocks.push(...this.expand(dyn, s.labelNames.length, diagnostics));
    }
    blocks.sort((a, b) => a.typeRange.start.byte - b.typeRange.start.byte);
    const consumed = new Set([...this.consumed, ...schema.blocks.map((b) => b.type)]);
    const content: BodyContent = { attributes: this.wrapAttrs(r.content.attributes), blocks, missingItemRange: r.content.missingItemRange };
    return { content, remain: new DynamicBody(r.remain, this.ctx, this.iteration, consumed), diagnostics };
  }

  private expand(dyn: Block, labelCount: number, diags: Diagnostic[]): Block[] {
    const label = dyn.labels[0] ?? '';
    const { content, diagnostics } = dyn.body.content(DYNAMIC_BODY_SCHEMA);
    diags.push(...diagnostics);
    const forEach = content.attributes['for_each'];
    if (forEach === undefined) return [];
    const contentBlocks = content.blocks;
    const contentBlock = contentBlocks[0];
    if (contentBlock === undefined || contentBlocks.length > 1) {
      const where = contentBlocks[1]?.defRange ?? dyn.defRange;
      diags.push(errorDiag(contentBlock === undefined ? 'Missing content block' : 'Duplicate content block', `A dynamic block must have exactly one nested block of type "content".`, where));
      return [];
    }
    let iterName = label;
    const iterAttr = content.attributes['iterator'];
    if (iterAttr !== undefined) {
      const kw = exprAsKeyword(iterAttr.expr);
      if (kw === undefined) {
        diags.push(errorDiag('Invalid dynamic iterator name', 'Dynamic iterator must be a single variable name.', iterAttr.expr.range));
        return [];
      }
      iterName = kw;
    }
    const coll = evaluate(forEach.expr, this.evalCtx(this.iteration));
    diags.push(...coll.diagnostics);
    if (coll.diagnostics.length > 0) return [];
    let pairs: [Value, Value][];
    if (Array.isArray(coll.value)) pairs = coll.value.map((v, i) => [i, v]);
    else if (isObject(coll.value)) {
      const obj = coll.value;
      pairs = sortedKeys(obj).map((k) => [k, obj[k] ?? null]);
    } else {
      const what = coll.value === null ? 'Cannot use a null value in for_each.' : `Cannot use a ${typeName(coll.value)} value in for_each. An iterable collection is required.`;
      diags.push(errorDiag('Invalid dynamic for_each value', what, forEach.expr.range));
      return [];
    }
    const out: Block[] = [];
    for (const [key, value] of pairs) {
      const iteration = { ...this.iteration, [iterName]: { key, value } };
      const labels: string[] = [];
      const labelsAttr = content.attributes['labels'];
      if (labelsAttr !== undefined) {
        const lv = evaluate(labelsAttr.expr, this.evalCtx(iteration));
        diags.push(...lv.diagnostics);
        if (lv.diagnostics.length > 0) continue;
        if (!Array.isArray(lv.value) || !lv.value.every((l) => typeof l === 'string' || typeof l === 'number')) {
          diags.push(errorDiag('Invalid dynamic block labels', 'The labels argument must be a list of strings.', labelsAttr.expr.range));
          continue;
        }
        labels.push(...lv.value.map(String));
      }
      if (labels.length !== labelCount) {
        diags.push(errorDiag('Incorrect number of labels', `Blocks of type "${label}" require ${labelCount} label(s), but this dynamic block produces ${labels.length}.`, labelsAttr?.expr.range ?? dyn.defRange));
        continue;
      }
      const labelRange = labelsAttr?.expr.range ?? dyn.defRange;
      out.push({
        type: label,
        labels,
        labelRanges: labels.map(() => labelRange),
        body: new DynamicBody(contentBlock.body, this.ctx, iteration, new Set()),
        typeRange: dyn.labelRanges[0] ?? dyn.typeRange,
        defRange: dyn.defRange,
      });
    }
    return out;
  }

  content(schema: BodySchema): { content: BodyContent; diagnostics: Diagnostic[] } {
    const { content, diagnostics } = this.read(schema, true);
    return { content, diagnostics };
  }

  partialContent(schema: BodySchema): { content: BodyContent; remain: Body; diagnostics: Diagnostic[] } {
    return this.read(schema, false);
  }

  justAttributes(): { attributes: Record<string, Attribute>; diagnostics: Diagnostic[] } {
    const r = this.base.justAttributes();
    return { attributes: this.wrapAttrs(r.attributes), diagnostics: r.diagnostics };
  }

  blocksAsAttributes(): { attributes: Record<string, Attribute>; diagnostics: Diagnostic[] } {
    const r = this.base.blocksAsAttributes();
    return { attributes: this.wrapAttrs(r.attributes), diagnostics: r.diagnostics };
  }
}

/** Wraps a body so that reading it with a schema expands the `dynamic` blocks the schema wants. */
export function expandDynamic(body: Body, ctx: EvalContext): Body {
  return new DynamicBody(body, ctx, {}, new Set());
}
