// `locals { … }` blocks: named expressions that may refer to variables, functions and each other.
// They are evaluated in dependency order (found from their `local.<name>` references); a cycle is
// reported once, naming the chain, instead of jobspec2's 100 blind retry passes.
import { errorDiag, evaluate, expressionTraversals, type Attribute, type Block, type Diagnostic, type EvalContext, type Value, type ValueObject } from './hcl/index.js';

export function evaluateLocals(blocks: Block[], ctx: EvalContext, diags: Diagnostic[]): ValueObject {
  const defs = new Map<string, Attribute>();
  for (const b of blocks) {
    const { attributes, diagnostics } = b.body.justAttributes();
    diags.push(...diagnostics);
    for (const [name, attr] of Object.entries(attributes)) {
      if (defs.has(name)) {
        diags.push(errorDiag('Duplicate value in locals', `Duplicate ${name} definition found.`, attr.nameRange, b.defRange));
        continue;
      }
      defs.set(name, attr);
    }
  }
  const deps = new Map<string, string[]>();
  for (const [name, attr] of defs) {
    const refs: string[] = [];
    for (const t of expressionTraversals(attr.expr)) {
      const first = t.steps[0];
      if (t.root === 'local' && first?.kind === 'attr' && defs.has(first.name)) refs.push(first.name);
    }
    deps.set(name, refs);
  }

  const locals: ValueObject = {};
  const localCtx: EvalContext = { ...ctx, variables: { ...ctx.variables, local: locals } };
  const state = new Map<string, 'visiting' | 'done' | 'failed'>();
  const visit = (name: string, chain: string[]): boolean => {
    const s = state.get(name);
    if (s === 'done') return true;
    if (s === 'failed') return false;
    const attr = defs.get(name);
    if (attr === undefined) return false;
    if (s === 'visiting') {
      const cycle = [...chain.slice(chain.indexOf(name)), name].map((n) => `local.${n}`).join(' → ');
      diags.push(errorDiag('Circular reference in locals', `The local values refer to each other in a cycle: ${cycle}. Break the cycle so each local can be computed from the others.`, attr.nameRange));
      state.set(name, 'failed');
      return false;
    }
    state.set(name, 'visiting');
    let ok = true;
    for (const d of deps.get(name) ?? []) ok = visit(d, [...chain, name]) && ok;
    if (!ok) {
      state.set(name, 'failed');
      return false;
    }
    const r = evaluate(attr.expr, localCtx);
    diags.push(...r.diagnostics);
    const failed = r.diagnostics.some((d) => d.severity === 'error');
    if (!failed) locals[name] = r.value as Value;
    state.set(name, failed ? 'failed' : 'done');
    return !failed;
  };
  for (const name of defs.keys()) visit(name, []);
  return locals;
}
