// Input variables of a job file: `variable "name" { type, default, description, sensitive,
// validation { condition, error_message } }` and `variables { name = default }` declarations, and
// their values from (in rising precedence, as jobspec2) the default, NOMAD_VAR_<name> environment
// variables, -var-file files and -var flags; each value is converted to the declared type and
// checked by the variable's validation rules. Pure: files arrive as text.
import { convertValue } from './functions/conversion.js';
import type { HclFunction, HclType } from './functions/types.js';
import {
  errorDiag,
  evaluate,
  expressionTraversals,
  formatRange,
  parseExpression,
  parseHCL,
  parseHCLJSON,
  typeExpression,
  type Attribute,
  type Block,
  type Diagnostic,
  type EvalContext,
  type Expression,
  type Range,
  type Value,
} from './hcl/index.js';
import { SCHEMAS, toBodySchema } from './schema.js';

interface Validation {
  condition: Expression;
  message: string;
  range: Range;
}

type Source = 'default' | 'env' | 'varfile' | 'cmd';

interface Assignment {
  from: Source;
  value: Value;
  /** Where the value was written, when it was written in a file. */
  range: Range | undefined;
}

export interface Variable {
  name: string;
  /** The declared type constraint; undefined means "whatever the default is". */
  type: HclType | undefined;
  description: string;
  sensitive: boolean;
  values: Assignment[];
  validations: Validation[];
  range: Range;
}

export interface VariableInputs {
  vars: Record<string, string>;
  varFiles: { name: string; text: string }[];
  env: Record<string, string | undefined>;
  strict: boolean;
}

const IDENT = /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u;

function staticContext(functions: Record<string, HclFunction>, base: EvalContext): EvalContext {
  return { variables: {}, functions, functionContext: base.functionContext };
}

/** A value's own type, for variables declared without `type`: primitives keep their kind. */
function impliedType(v: Value): HclType | undefined {
  if (typeof v === 'string') return { kind: 'string' };
  if (typeof v === 'number') return { kind: 'number' };
  if (typeof v === 'boolean') return { kind: 'bool' };
  return undefined;
}

function convertTo(v: Value, type: HclType | undefined): { value: Value; error?: string } {
  if (type === undefined) return { value: v };
  try {
    return { value: convertValue(v, type) };
  } catch (e) {
    return { value: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export class VariableSet {
  readonly vars = new Map<string, Variable>();
  readonly diags: Diagnostic[] = [];
  private readonly ctx: EvalContext;

  constructor(ctx: EvalContext) {
    this.ctx = staticContext(ctx.functions, ctx);
  }

  declareBlock(block: Block): void {
    const name = block.labels[0] ?? '';
    if (this.vars.has(name)) {
      this.diags.push(errorDiag('Duplicate variable', `Duplicate ${name} variable definition found.`, block.labelRanges[0] ?? block.defRange));
      return;
    }
    const { content, diagnostics } = block.body.content(toBodySchema(SCHEMAS.variable));
    this.diags.push(...diagnostics);
    if (!IDENT.test(name)) {
      this.diags.push(errorDiag('Invalid variable name', 'A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.', block.labelRanges[0] ?? block.defRange));
    }
    const v: Variable = { name, type: undefined, description: '', sensitive: false, values: [], validations: [], range: block.defRange };
    const a = content.attributes;
    const typeAttr = a['type'];
    if (typeAttr !== undefined) {
      const t = typeExpression(typeAttr.expr);
      this.diags.push(...t.diagnostics);
      if (t.diagnostics.length > 0) return;
      v.type = t.type;
    }
    const desc = this.staticValue(a['description']);
    if (typeof desc === 'string') v.description = desc;
    v.sensitive = this.staticValue(a['sensitive']) === true;
    const def = a['default'];
    if (def !== undefined) {
      const r = evaluate(def.expr, this.ctx);
      this.diags.push(...r.diagnostics);
      if (r.diagnostics.length > 0) return;
      const conv = convertTo(r.value, v.type);
      if (conv.error !== undefined) {
        this.diags.push(errorDiag('Invalid default value for variable', `This default value is not compatible with the variable's type constraint: ${conv.error}.`, def.expr.range));
      } else {
        v.values.push({ from: 'default', value: conv.value, range: def.expr.range });
        v.type ??= impliedType(conv.value);
      }
    }
    for (const vb of content.blocks) this.declareValidation(v, vb);
    this.vars.set(name, v);
  }

  /** `variables { a = 1 }`: each attribute declares a variable with that default. */
  declareAttribute(attr: Attribute): void {
    if (this.vars.has(attr.name)) {
      this.diags.push(errorDiag('Duplicate variable', `Duplicate ${attr.name} variable definition found.`, attr.nameRange));
      return;
    }
    const r = evaluate(attr.expr, this.ctx);
    this.diags.push(...r.diagnostics);
    if (r.diagnostics.length > 0) return;
    this.vars.set(attr.name, { name: attr.name, type: impliedType(r.value), description: '', sensitive: false, values: [{ from: 'default', value: r.value, range: attr.expr.range }], validations: [], range: attr.range });
  }

  private staticValue(attr: Attribute | undefined): Value | undefined {
    if (attr === undefined) return undefined;
    const r = evaluate(attr.expr, this.ctx);
    this.diags.push(...r.diagnostics);
    return r.value;
  }

  private declareValidation(v: Variable, block: Block): void {
    const { content, diagnostics } = block.body.content(toBodySchema(SCHEMAS.validation));
    this.diags.push(...diagnostics);
    const cond = content.attributes['condition'];
    const msgAttr = content.attributes['error_message'];
    if (cond === undefined || msgAttr === undefined) return;
    let good = 0;
    for (const t of expressionTraversals(cond.expr)) {
      const first = t.steps[0];
      if (t.root === 'var' && first?.kind === 'attr' && first.name === v.name) {
        good++;
        continue;
      }
      this.diags.push(errorDiag('Invalid reference in variable validation', `The condition for variable "${v.name}" can only refer to the variable itself, using var.${v.name}.`, t.range));
    }
    if (good === 0) {
      this.diags.push(errorDiag('Invalid variable validation condition', `The condition for variable "${v.name}" must refer to var.${v.name} in order to test incoming values.`, cond.expr.range));
    }
    const msg = this.staticValue(msgAttr);
    if (typeof msg !== 'string' || msg.trim() === '') {
      this.diags.push(errorDiag('Invalid validation error message', 'An empty or blank string is not a valid nor useful error message.', msgAttr.expr.range));
      return;
    }
    v.validations.push({ condition: cond.expr, message: msg, range: block.defRange });
  }

  /** A value given as text (-var, NOMAD_VAR_): a literal string for string/number/untyped variables, else an HCL expression. */
  private fromText(v: Variable, text: string, from: 'env' | 'cmd'): void {
    const where = from === 'env' ? 'env' : 'arguments';
    let value: Value = text;
    const kind = v.type?.kind;
    if (kind !== undefined && kind !== 'string' && kind !== 'number') {
      const p = parseExpression(text, `<value for var.${v.name} from ${where}>`);
      this.diags.push(...p.diagnostics);
      if (p.expr === undefined || p.diagnostics.length > 0) return;
      const r = evaluate(p.expr, this.ctx);
      this.diags.push(...r.diagnostics);
      if (r.diagnostics.length > 0) return;
      value = r.value;
    }
    const conv = convertTo(value, v.type);
    if (conv.error !== undefined) {
      const summary = from === 'cmd' ? 'Invalid argument value for -var variable' : 'Invalid value for variable';
      const detail = from === 'cmd' ? `The received arg value for ${v.name} is not compatible with the variable's type constraint: ${conv.error}.` : `The value for ${v.name} is not compatible with the variable's type constraint: ${conv.error}.`;
      this.diags.push(errorDiag(summary, detail));
      return;
    }
    v.values.push({ from, value: conv.value, range: undefined });
  }

  /** Applies env, var-file and -var values, in that order (later wins). */
  assign(inputs: VariableInputs): void {
    for (const [k, text] of Object.entries(inputs.env)) {
      if (!k.startsWith('NOMAD_VAR_') || text === undefined) continue;
      const v = this.vars.get(k.slice('NOMAD_VAR_'.length));
      if (v !== undefined) this.fromText(v, text, 'env');
    }
    const severity = inputs.strict ? 'error' : 'warning';
    for (const file of inputs.varFiles) {
      const isJSON = file.name.endsWith('.json') || file.text.trimStart().startsWith('{');
      const parsed = isJSON ? parseHCLJSON(file.text, file.name) : parseHCL(file.text, file.name);
      this.diags.push(...parsed.diagnostics);
      if (parsed.diagnostics.some((d) => d.severity === 'error')) continue;
      const decls = parsed.file.body.partialContent({ attributes: [], blocks: [{ type: 'variable', labelNames: ['name'] }] });
      for (const b of decls.content.blocks) {
        const name = b.labels[0] ?? '';
        this.diags.push(
          errorDiag(
            'Variable declaration in a .var file',
            `A .var file is used to assign values to variables that have already been declared in job files, not to declare new variables. To declare variable "${name}", place this block in one of your job files. To set a value for this variable in ${file.name}, use the definition syntax instead:\n    ${name} = <value>`,
            b.typeRange,
          ),
        );
      }
      if (decls.content.blocks.length > 0) continue;
      const { attributes, diagnostics } = decls.remain.justAttributes();
      this.diags.push(...diagnostics);
      for (const [name, attr] of Object.entries(attributes)) {
        const v = this.vars.get(name);
        if (v === undefined) {
          this.diags.push({
            severity,
            summary: 'Undefined variable',
            detail: `A "${name}" variable was set but was not found in known variables. To declare variable "${name}", place this block in your job files.`,
            subject: attr.nameRange,
          });
          continue;
        }
        const r = evaluate(attr.expr, this.ctx);
        this.diags.push(...r.diagnostics);
        if (r.diagnostics.length > 0) continue;
        const conv = convertTo(r.value, v.type);
        if (conv.error !== undefined) {
          this.diags.push(errorDiag('Invalid value for variable', `The value for ${name} is not compatible with the variable's type constraint: ${conv.error}.`, attr.expr.range));
          continue;
        }
        v.values.push({ from: 'varfile', value: conv.value, range: attr.expr.range });
      }
    }
    for (const [name, text] of Object.entries(inputs.vars)) {
      const v = this.vars.get(name);
      if (v === undefined) {
        this.diags.push({
          severity,
          summary: 'Undefined -var variable',
          detail: `A "${name}" variable was passed in the command line but was not found in known variables. To declare variable "${name}", place this block in your job file.`,
        });
        continue;
      }
      this.fromText(v, text, 'cmd');
    }
  }

  /** The final value of each variable (the last assignment), checked by its validation rules. */
  values(): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const v of this.vars.values()) {
      const last = v.values[v.values.length - 1];
      if (last === undefined) {
        this.diags.push(
          errorDiag('Unset variable', `Unset variable "${v.name}": a used variable must be set or have a default value; set it with -var ${v.name}=…, a -var-file, or the NOMAD_VAR_${v.name} environment variable.`, v.range),
        );
        out[v.name] = null;
        continue;
      }
      out[v.name] = last.value;
      this.validate(v, last);
    }
    return out;
  }

  private validate(v: Variable, val: Assignment): void {
    const ctx: EvalContext = { ...this.ctx, variables: { var: { [v.name]: val.value } } };
    for (const rule of v.validations) {
      const r = evaluate(rule.condition, ctx);
      if (r.diagnostics.length > 0) {
        this.diags.push(...r.diagnostics);
        continue;
      }
      if (r.value !== true && r.value !== false && r.value !== 'true' && r.value !== 'false') {
        this.diags.push(errorDiag('Invalid variable validation result', 'Validation condition expression must return either true or false.', rule.condition.range));
        continue;
      }
      if (r.value === false || r.value === 'false') {
        const from = { default: 'default', env: 'env', varfile: 'varfile', cmd: 'cmd' }[val.from];
        this.diags.push(errorDiag(`Invalid value for ${from} variable`, `${rule.message}\n\nThis was checked by the validation rule at ${formatRange(rule.range)}.`, val.range ?? rule.range));
      }
    }
  }
}
