// The Body implementation for native-syntax HCL: schema-driven reads (content, partialContent,
// justAttributes) with HCL's messages and did-you-mean suggestions, and Nomad's blocks-as-
// attributes view for schema-less bodies such as a driver's `config`.
import type { Attribute, Block, Body, BodyContent, BodySchema, Expression, ObjectItem } from './ast.js';
import { errorDiag, suggestionSuffix, type Diagnostic } from './diagnostics.js';
import { rangeBetween, type Range } from './pos.js';

/** A block as the native parser produced it (a Block whose body is a NativeBody). */
export interface NativeBlock extends Block {
  body: NativeBody;
  openBraceRange: Range;
  closeBraceRange: Range;
}

export class NativeBody implements Body {
  readonly attributes: Map<string, Attribute>;
  readonly blocks: NativeBlock[];
  readonly range: Range;
  readonly missingItemRange: Range;
  private readonly hiddenAttrs: ReadonlySet<string>;
  private readonly hiddenBlocks: ReadonlySet<string>;

  constructor(attributes: Map<string, Attribute>, blocks: NativeBlock[], range: Range, missingItemRange: Range, hiddenAttrs: ReadonlySet<string> = new Set(), hiddenBlocks: ReadonlySet<string> = new Set()) {
    this.attributes = attributes;
    this.blocks = blocks;
    this.range = range;
    this.missingItemRange = missingItemRange;
    this.hiddenAttrs = hiddenAttrs;
    this.hiddenBlocks = hiddenBlocks;
  }

  private visibleAttributes(): Attribute[] {
    return [...this.attributes.values()].filter((a) => !this.hiddenAttrs.has(a.name));
  }
  private visibleBlocks(): NativeBlock[] {
    return this.blocks.filter((b) => !this.hiddenBlocks.has(b.type));
  }

  content(schema: BodySchema): { content: BodyContent; diagnostics: Diagnostic[] } {
    const { content, remain, diagnostics } = this.partialContent(schema);
    const attrNames = schema.attributes.map((a) => a.name);
    const blockTypes = schema.blocks.map((b) => b.type);
    const rest = remain instanceof NativeBody ? remain : this;
    for (const attr of rest.visibleAttributes()) {
      const detail = blockTypes.includes(attr.name) ? ` Did you mean to define a block of type "${attr.name}"?` : suggestionSuffix(attr.name, attrNames);
      diagnostics.push(errorDiag('Unsupported argument', `An argument named "${attr.name}" is not expected here.${detail}`, attr.nameRange));
    }
    for (const block of rest.visibleBlocks()) {
      const detail = attrNames.includes(block.type)
        ? ` Did you mean to define argument "${block.type}"? If so, use the equals sign to assign it a value.`
        : suggestionSuffix(block.type, blockTypes);
      diagnostics.push(errorDiag('Unsupported block type', `Blocks of type "${block.type}" are not expected here.${detail}`, block.typeRange));
    }
    return { content, diagnostics };
  }

  partialContent(schema: BodySchema): { content: BodyContent; remain: Body; diagnostics: Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const attributes: Record<string, Attribute> = {};
    for (const s of schema.attributes) {
      const attr = this.hiddenAttrs.has(s.name) ? undefined : this.attributes.get(s.name);
      if (attr === undefined) {
        if (s.required) diagnostics.push(errorDiag('Missing required argument', `The argument "${s.name}" is required, but no definition was found.`, this.missingItemRange));
        continue;
      }
      attributes[s.name] = attr;
    }
    const blocks: Block[] = [];
    const wanted = new Map(schema.blocks.map((b) => [b.type, b]));
    for (const block of this.visibleBlocks()) {
      const s = wanted.get(block.type);
      if (s === undefined) continue;
      const labelDiag = checkLabels(block, s.labelNames, rangeBetween(block.typeRange, block.openBraceRange));
      if (labelDiag !== undefined) {
        diagnostics.push(labelDiag);
        continue;
      }
      blocks.push(block);
    }
    const hiddenAttrs = new Set([...this.hiddenAttrs, ...schema.attributes.map((a) => a.name)]);
    const hiddenBlocks = new Set([...this.hiddenBlocks, ...schema.blocks.map((b) => b.type)]);
    const remain = new NativeBody(this.attributes, this.blocks, this.range, this.missingItemRange, hiddenAttrs, hiddenBlocks);
    return { content: { attributes, blocks, missingItemRange: this.missingItemRange }, remain, diagnostics };
  }

  justAttributes(): { attributes: Record<string, Attribute>; diagnostics: Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const blocks = this.visibleBlocks();
    const first = blocks[0];
    if (first !== undefined) diagnostics.push(errorDiag(`Unexpected "${first.type}" block`, 'Blocks are not allowed here.', first.typeRange));
    const attributes: Record<string, Attribute> = {};
    for (const a of this.visibleAttributes()) attributes[a.name] = a;
    return { attributes, diagnostics };
  }

  blocksAsAttributes(): { attributes: Record<string, Attribute>; diagnostics: Diagnostic[] } {
    const attributes: Record<string, Attribute> = {};
    for (const a of this.visibleAttributes()) attributes[a.name] = { ...a, expr: wrapObjectLiteral(a.expr) };
    for (const [type, blocks] of groupByType(this.visibleBlocks())) {
      const first = blocks[0];
      if (first === undefined) continue;
      const expr = blocksToTuple(blocks);
      attributes[type] = { name: type, expr, range: rangeBetween(first.typeRange, expr.range), nameRange: first.typeRange };
    }
    return { attributes, diagnostics: [] };
  }
}

/** The "Extraneous label" / "Missing name" diagnostic for a block header, if its labels do not fit. */
export function checkLabels(block: Block, labelNames: readonly string[], context: Range): Diagnostic | undefined {
  if (block.labels.length > labelNames.length) {
    const subject = block.labelRanges[labelNames.length] ?? block.typeRange;
    const detail =
      labelNames.length === 0 ? `No labels are expected for ${block.type} blocks.` : `Only ${labelNames.length} labels (${labelNames.join(', ')}) are expected for ${block.type} blocks.`;
    return errorDiag(`Extraneous label for ${block.type}`, detail, subject, context);
  }
  if (block.labels.length < labelNames.length) {
    const missing = labelNames[block.labels.length] ?? 'label';
    return errorDiag(`Missing ${missing} for ${block.type}`, `All ${block.type} blocks must have ${labelNames.length} labels (${labelNames.join(', ')}).`, block.defRange, context);
  }
  return undefined;
}

function groupByType(blocks: NativeBlock[]): Map<string, NativeBlock[]> {
  const out = new Map<string, NativeBlock[]>();
  for (const b of blocks) {
    const list = out.get(b.type);
    if (list) list.push(b);
    else out.set(b.type, [b]);
  }
  return out;
}

/** Nomad (HCL1 compatibility) reads an object literal attribute in config as a one-element list. */
function wrapObjectLiteral(expr: Expression): Expression {
  return expr.kind === 'object' ? { kind: 'tuple', items: [expr], range: expr.range } : expr;
}

function blocksToTuple(blocks: NativeBlock[]): Expression {
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  const range = first && last ? rangeBetween(first.openBraceRange, last.closeBraceRange) : blocks[0]?.typeRange;
  if (range === undefined) throw new RangeError('blocksToTuple needs at least one block');
  return { kind: 'tuple', items: blocks.map(blockToObject), range };
}

/** One block as an object of its items; each label wraps it as `{label = [ … ]}`, innermost first. */
function blockToObject(block: NativeBlock): Expression {
  const body = block.body;
  const range = rangeBetween(block.openBraceRange, block.closeBraceRange);
  const items: ObjectItem[] = [];
  for (const a of body.attributes.values()) items.push({ key: { kind: 'literal', value: a.name, range: a.nameRange }, value: wrapObjectLiteral(a.expr) });
  for (const [type, blocks] of groupByType(body.blocks)) {
    const first = blocks[0];
    if (first) items.push({ key: { kind: 'literal', value: type, range: first.typeRange }, value: blocksToTuple(blocks) });
  }
  let v: Expression = { kind: 'object', items, range };
  for (let i = block.labels.length - 1; i >= 0; i--) {
    const labelRange = block.labelRanges[i] ?? block.typeRange;
    v = { kind: 'object', items: [{ key: { kind: 'literal', value: block.labels[i] ?? '', range: labelRange }, value: { kind: 'tuple', items: [v], range } }], range };
  }
  return v;
}
