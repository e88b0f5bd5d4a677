// `-out go-template -template '{{ … }}'`: Nomad's CLI renders its API structs with Go's
// text/template. Roam renders the same shapes with src/template: objects are marked as the Go
// structs Nomad's commands hand to the template (`*api.Variable`…), so `{{ . }}`, field access and
// methods such as `.AsJSON` read as they do in Nomad.
import type { Variable, VariableMetadata } from '../../structs/variable.js';
import { goStruct, parseTemplate, sprigFunctions, type FuncMap } from '../../template/index.js';

/**
 * Renders `text` with `data` as dot; throws TemplateError with Go's messages. `name` is the
 * template's name in those messages ("var" for var get/put, "" for Nomad's Format helper, which
 * also brings the sprig_ functions).
 */
export function renderGoTemplate(text: string, data: unknown, opts: { name?: string; sprig?: boolean } = {}): string {
  const funcs: FuncMap = opts.sprig ? sprigFunctions() : {};
  return parseTemplate(opts.name ?? '', text, { funcs }).execute(data, { funcs });
}

function lockOf(v: VariableMetadata): unknown {
  return v.Lock ? goStruct('*api.VariableLock', { ID: v.Lock.ID, TTL: v.Lock.TTL, LockDelay: v.Lock.LockDelay }) : null;
}

/** A variable as Nomad's `*api.Variable` (field order, AsJSON/AsPrettyJSON/LockID methods). */
export function goVariable(v: Variable): unknown {
  const plain = { Namespace: v.Namespace, Path: v.Path, CreateIndex: v.CreateIndex, ModifyIndex: v.ModifyIndex, CreateTime: v.CreateTime, ModifyTime: v.ModifyTime, Items: { ...v.Items }, ...(v.Lock ? { Lock: v.Lock } : {}) };
  return goStruct('*api.Variable', { Namespace: v.Namespace, Path: v.Path, CreateIndex: v.CreateIndex, ModifyIndex: v.ModifyIndex, CreateTime: v.CreateTime, ModifyTime: v.ModifyTime, Items: { ...v.Items }, Lock: lockOf(v) }, {
    AsJSON: () => JSON.stringify(plain),
    AsPrettyJSON: () => JSON.stringify(plain, null, 2),
    LockID: () => v.Lock?.ID ?? '',
  });
}

/** Variable metadata as Nomad's `*api.VariableMetadata`. */
export function goVariableMetadata(v: VariableMetadata): unknown {
  return goStruct('*api.VariableMetadata', { Namespace: v.Namespace, Path: v.Path, CreateIndex: v.CreateIndex, ModifyIndex: v.ModifyIndex, CreateTime: v.CreateTime, ModifyTime: v.ModifyTime, Lock: lockOf(v) });
}
