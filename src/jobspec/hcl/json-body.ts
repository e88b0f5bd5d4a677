// The Body implementation for HCL's JSON syntax (hashicorp/hcl json/spec.md): whether a property
// is an argument or a block depends on the schema the caller reads with; block labels are nested
// object levels; strings are templates. parseHCLJSON is the entry point.
import type { Attribute, Block, Body, BodyContent, BodySchema, Expression, File, ObjectItem } from './ast.js';
import { errorDiag, suggestionSuffix, type Diagnostic } from './diagnostics.js';
import { parseJSONDocument, type JsonNode, type JsonProperty } from './json-parser.js';
import { checkLabels } from './native-body.js';
import { parseTemplate } from './parser.js';
import { formatRange, rangeBetween, rangeStart, SourceMap, type Range } from './pos.js';

/** Converts a JSON value to an expression: strings become templates, objects have template keys. */
export function jsonExpression(node: JsonNode, diags: Diagnostic[]): Expression {
  switch (node.kind) {
    case 'string': {
      const { expr, diagnostics } = parseTemplate(node.value, node.range.filename, node.contentStart);
      diags.push(...diagnostics);
      const contentRange: Range = { filename: node.range.filename, start: node.contentStart, end: { ...node.range.end, column: node.range.end.column - 1, byte: node.range.end.byte - 1 } };
      return { ...expr, kind: 'template', parts: expr.kind === 'template' ? expr.parts : [], range: node.range, jsonString: { value: node.value, contentRange } };
    }
    case 'number':
    case 'bool':
      return { kind: 'literal', value: node.value, range: node.range };
    case 'null':
      return { kind: 'literal', value: null, range: node.range };
    case 'array':
      return { kind: 'tuple', items: node.items.map((n) => jsonExpression(n, diags)), range: node.range };
    case 'object': {
      const items: ObjectItem[] = node.props.map((p) => ({
        key: jsonExpression({ kind: 'string', value: p.name, range: p.nameRange, contentStart: { ...p.nameRange.start, column: p.nameRange.start.column + 1, byte: p.nameRange.start.byte + 1 } }, diags),
        value: jsonExpression(p.value, diags),
      }));
      return { kind: 'object', items, range: node.range };
    }
  }
}

const INCORRECT = 'Incorrect JSON value type';

export class JsonBody implements Body {
  private readonly node: JsonNode;
  private readonly hidden: ReadonlySet<string>;
  readonly range: Range;
  readonly missingItemRange: Range;

  constructor(node: JsonNode, hidden: ReadonlySet<string> = new Set(), missingItemRange?: Range) {
    this.node = node;
    this.hidden = hidden;
    this.range = node.range;
    this.missingItemRange = missingItemRange ?? (node.kind === 'object' || node.kind === 'array' ? node.openRange : rangeStart(node.range));
  }

  /** The body's properties in order (an array body is the concatenation of its objects). */
  private properties(diags: Diagnostic[], allowArray: boolean): JsonProperty[] {
    const out: JsonProperty[] = [];
    const visit = (n: JsonNode): void => {
      if (n.kind === 'object') {
        for (const p of n.props) if (p.name !== '//' && !this.hidden.has(p.name)) out.push(p);
      } else {
        diags.push(errorDiag(INCORRECT, allowArray ? 'A JSON object is required here, to define arguments and blocks.' : 'A JSON object is required here, to define arguments.', n.range));
      }
    };
    if (this.node.kind === 'array' && allowArray) this.node.items.forEach(visit);
    else visit(this.node);
    return out;
  }

  content(schema: BodySchema): { content: BodyContent; diagnostics: Diagnostic[] } {
    const { content, diagnostics } = this.partialContent(schema);
    const known = new Set([...schema.attributes.map((a) => a.name), ...schema.blocks.map((b) => b.type)]);
    for (const p of this.properties([], true)) {
      if (known.has(p.name)) continue;
      diagnostics.push(errorDiag('Extraneous JSON object property', `No argument or block type is named "${p.name}".${suggestionSuffix(p.name, known)}`, p.nameRange));
    }
    return { content, diagnostics };
  }

  partialContent(schema: BodySchema): { content: BodyContent; remain: Body; diagnostics: Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const props = this.properties(diagnostics, true);
    const attributes: Record<string, Attribute> = {};
    for (const s of schema.attributes) {
      const found = props.filter((p) => p.name === s.name);
      const first = found[0];
      if (first === undefined) {
        if (s.required) diagnostics.push(errorDiag('Missing required argument', `The argument "${s.name}" is required, but no definition was found.`, this.missingItemRange));
        continue;
      }
      for (const dup of found.slice(1)) {
        diagnostics.push(errorDiag('Duplicate argument', `The argument "${s.name}" was already set at ${formatRange(first.nameRange)}. Each argument may be set only once.`, dup.nameRange));
      }
      attributes[s.name] = this.attribute(first, diagnostics);
    }
    const blocks: Block[] = [];
    const wanted = new Map(schema.blocks.map((b) => [b.type, b]));
    for (const p of props) {
      const s = wanted.get(p.name);
      if (s === undefined) continue;
      this.expandBlocks(p, s.labelNames, p.value, [], [], blocks, diagnostics);
    }
    const hidden = new Set([...this.hidden, ...schema.attributes.map((a) => a.name), ...schema.blocks.map((b) => b.type)]);
    return { content: { attributes, blocks, missingItemRange: this.missingItemRange }, remain: new JsonBody(this.node, hidden, this.missingItemRange), diagnostics };
  }

  private attribute(p: JsonProperty, diags: Diagnostic[]): Attribute {
    return { name: p.name, expr: jsonExpression(p.value, diags), range: rangeBetween(p.nameRange, p.value.range), nameRange: p.nameRange };
  }

  /** Reads the label levels of a block property, then one block per body object. */
  private expandBlocks(p: JsonProperty, labelNames: string[], value: JsonNode, labels: string[], labelRanges: Range[], out: Block[], diags: Diagnostic[]): void {
    const depth = labels.length;
    if (depth < labelNames.length) {
      const levels = value.kind === 'array' ? value.items : [value];
      for (const level of levels) {
        if (level.kind !== 'object') {
          diags.push(errorDiag(INCORRECT, `A JSON object is required here, whose property names are the ${labelNames[depth] ?? 'label'} labels of "${p.name}" blocks.`, level.range));
          continue;
        }
        for (const lp of level.props) this.expandBlocks(p, labelNames, lp.value, [...labels, lp.name], [...labelRanges, lp.nameRange], out, diags);
      }
      return;
    }
    const bodies = value.kind === 'array' ? value.items : [value];
    if (value.kind !== 'array' && value.kind !== 'object') {
      diags.push(errorDiag(INCORRECT, `Either a JSON object or a JSON array is required, representing the contents of one or more "${p.name}" blocks.`, value.range));
      return;
    }
    for (const b of bodies) {
      if (b.kind !== 'object') {
        diags.push(errorDiag(INCORRECT, `A JSON object is required here, representing the contents of a "${p.name}" block.`, b.range));
        continue;
      }
      const block: Block = { type: p.name, labels, labelRanges, body: new JsonBody(b), typeRange: p.nameRange, defRange: rangeBetween(p.nameRange, b.openRange) };
      const labelDiag = checkLabels(block, labelNames, block.defRange);
      if (labelDiag) diags.push(labelDiag);
      else out.push(block);
    }
  }

  justAttributes(): { attributes: Record<string, Attribute>; diagnostics: Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const attributes: Record<string, Attribute> = {};
    for (const p of this.properties(diagnostics, false)) {
      const prev = attributes[p.name];
      if (prev !== undefined) {
        diagnostics.push(errorDiag('Duplicate argument', `The argument "${p.name}" was already set at ${formatRange(prev.nameRange)}. Each argument may be set only once.`, p.nameRange));
        continue;
      }
      attributes[p.name] = this.attribute(p, diagnostics);
    }
    return { attributes, diagnostics };
  }

  /** JSON has no blocks to convert: values are already data (Nomad reads JSON config the same way). */
  blocksAsAttributes(): { attributes: Record<string, Attribute>; diagnostics: Diagnostic[] } {
    return this.justAttributes();
  }
}

export function parseHCLJSON(text: string, filename: string): { file: File; diagnostics: Diagnostic[] } {
  const bytes = new TextEncoder().encode(text);
  const { node, diagnostics } = parseJSONDocument(text, filename);
  if (node === undefined) {
    const map = new SourceMap(text, filename);
    const empty: JsonNode = { kind: 'object', props: [], range: map.range(0, text.length), openRange: map.range(0, 0) };
    return { file: { body: new JsonBody(empty), bytes }, diagnostics };
  }
  if (node.kind !== 'object' && node.kind !== 'array') {
    diagnostics.push(errorDiag(INCORRECT, 'The root of a JSON configuration file must be a JSON object.', node.range));
  }
  return { file: { body: new JsonBody(node), bytes }, diagnostics };
}
