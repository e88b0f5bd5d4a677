// Printing a job diff and a plan's dry-run outcome in Nomad's `job plan` layout: `+` added, `-`
// deleted, `+/-` edited, names and values aligned per block, annotations such as
// "(forces create/destroy update)" after the value, per-group update counts after the group name.
// Text is built with Nomad's colorstring tags ([green], [bold], [reset]…) and `colorize` turns them
// into ANSI escapes, or strips them when color is off (not a TTY, -no-color).
import { formatAllocMetrics } from '../../structs/alloc-metrics.js';
import type { AllocMetric } from '../../structs/alloc.js';
import type { DiffType, FieldDiff, JobDiff, ObjectDiff, TaskDiff, TaskGroupDiff } from '../../structs/job-diff.js';

const ANSI: Record<string, string> = { reset: '0', bold: '1', red: '31', green: '32', yellow: '33', blue: '34', cyan: '36', light_yellow: '93' };

/** Replaces [color] tags with ANSI escapes, or removes them when `color` is false. */
export function colorize(s: string, color: boolean): string {
  return s.replace(/\[(reset|bold|red|green|yellow|blue|cyan|light_yellow)\]/g, (_m, name: string) => (color ? `\x1b[${ANSI[name] ?? '0'}m` : ''));
}

function marker(t: DiffType): [string, number] {
  switch (t) {
    case 'Added':
      return ['[green]+[reset] ', 2];
    case 'Deleted':
      return ['[red]-[reset] ', 2];
    case 'Edited':
      return ['[light_yellow]+/-[reset] ', 4];
    case 'None':
      return ['', 0];
  }
}

const ANNOTATION_COLORS: Record<string, string> = { 'forces create': 'green', 'forces destroy': 'red', 'forces in-place update': 'cyan', 'forces create/destroy update': 'yellow' };

function colorAnnotations(list: readonly string[]): string {
  return list.map((a) => (ANNOTATION_COLORS[a] !== undefined ? `[${ANNOTATION_COLORS[a]}]${a}[reset]` : a)).join(', ');
}

const q = (s: string): string => JSON.stringify(s);
const sp = (n: number): string => ' '.repeat(Math.max(0, n));

function longest(fields: readonly FieldDiff[], objects: readonly ObjectDiff[]): [number, number] {
  let field = 0;
  let mark = 0;
  for (const f of fields) {
    field = Math.max(field, f.Name.length);
    mark = Math.max(mark, marker(f.Type)[1]);
  }
  for (const o of objects) mark = Math.max(mark, marker(o.Type)[1]);
  return [field, mark];
}

function formatField(f: FieldDiff, start: number, keyPrefix: number, valuePrefix: number): string {
  let out = `${sp(start)}${marker(f.Type)[0]}${sp(keyPrefix)}${f.Name}: ${sp(valuePrefix)}`;
  out += f.Type === 'Added' ? q(f.New) : f.Type === 'Deleted' ? q(f.Old) : f.Type === 'Edited' ? `${q(f.Old)} => ${q(f.New)}` : q(f.New);
  if (f.Annotations.length > 0) out += ` (${colorAnnotations(f.Annotations)})`;
  return out;
}

function formatObject(o: ObjectDiff, start: number, keyPrefix: number): string {
  const [m, mLen] = marker(o.Type);
  const [lf, lm] = longest(o.Fields, o.Objects);
  const body = aligned(o.Fields, o.Objects, start + keyPrefix + 2, lf, lm);
  return `${sp(start)}${m}${sp(keyPrefix)}${o.Name} {\n${body}\n${sp(start + mLen + keyPrefix)}}`;
}

function aligned(fields: readonly FieldDiff[], objects: readonly ObjectDiff[], start: number, longestField: number, longestMarker: number): string {
  const lines = fields.map((f) => formatField(f, start, longestMarker - marker(f.Type)[1], longestField - f.Name.length));
  for (const o of objects) lines.push(formatObject(o, start, longestMarker - marker(o.Type)[1]));
  return lines.join('\n');
}

function formatTask(t: TaskDiff, start: number, taskPrefix: number, verbose: boolean): string {
  let out = `${sp(start)}${marker(t.Type)[0]}${sp(taskPrefix)}[bold]Task: ${q(t.Name)}`;
  if (t.Annotations.length > 0) out += ` [reset](${colorAnnotations(t.Annotations)})`;
  if (t.Type === 'None' || ((t.Type === 'Added' || t.Type === 'Deleted') && !verbose)) return out;
  const [lf, lm] = longest(t.Fields, t.Objects);
  return `${out}\n${aligned(t.Fields, t.Objects, start + 2, lf, lm)}`;
}

const UPDATE_COLORS: Record<string, string> = { ignore: '', create: '[green]', destroy: '[red]', migrate: '[blue]', 'in-place update': '[cyan]', 'create/destroy update': '[yellow]', canary: '[light_yellow]' };

function formatGroup(g: TaskGroupDiff, tgPrefix: number, verbose: boolean): string {
  let out = `${marker(g.Type)[0]}${sp(tgPrefix)}[bold]Task Group: ${q(g.Name)}[reset]`;
  const kinds = Object.keys(g.Updates).sort();
  if (kinds.length > 0) out += ` (${kinds.map((k) => `[reset]${UPDATE_COLORS[k] ?? ''}${g.Updates[k] ?? 0} ${k}`).join(', ')}[reset])\n`;
  else out += '[reset]\n';
  const [lf, lm0] = longest(g.Fields, g.Objects);
  let lm = lm0;
  for (const t of g.Tasks) lm = Math.max(lm, marker(t.Type)[1]);
  if (g.Type === 'Edited' || verbose) {
    const fo = aligned(g.Fields, g.Objects, tgPrefix + 2, lf, lm);
    if (fo.length > 0) out += `${fo}\n`;
  }
  for (const t of g.Tasks) out += `${formatTask(t, tgPrefix + 2, lm - marker(t.Type)[1], verbose)}\n`;
  return out;
}

/** The annotated diff, colour tags included; added/deleted groups and tasks are expanded with `verbose`. */
export function formatJobDiff(d: JobDiff, verbose: boolean): string {
  let out = `${marker(d.Type)[0]}[bold]Job: ${q(d.ID)}\n`;
  const [lf, lm0] = longest(d.Fields, d.Objects);
  let lm = lm0;
  for (const g of d.TaskGroups) lm = Math.max(lm, marker(g.Type)[1]);
  if (d.Type === 'Edited' || verbose) {
    const fo = aligned(d.Fields, d.Objects, 0, lf, lm);
    if (fo.length > 0) out += `${fo}\n`;
  }
  for (const g of d.TaskGroups) out += `${formatGroup(g, lm - marker(g.Type)[1], verbose)}\n`;
  return out;
}

export interface DryRunInput {
  FailedTGAllocs: Record<string, AllocMetric> | null;
  CreatedEvals: { TriggeredBy: string; Wait: number }[] | null;
}

/** The "Scheduler dry-run:" body: all placed, or the placement failures explained per group. */
export function formatDryRun(resp: DryRunInput, jobType: string): string {
  const rolling = (resp.CreatedEvals ?? []).find((e) => e.TriggeredBy === 'rolling-update');
  const failed = Object.entries(resp.FailedTGAllocs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let out: string;
  if (failed.length === 0) out = '[bold][green]- All tasks successfully allocated.[reset]\n';
  else {
    out = jobType === 'system' ? '[bold][yellow]- WARNING: Failed to place allocations on all nodes.[reset]\n' : '[bold][yellow]- WARNING: Failed to place all allocations.[reset]\n';
    for (const [tg, m] of failed) {
      const n = m.CoalescedFailures + 1;
      out += `  [yellow]Task Group ${q(tg)} (failed to place ${n} ${n === 1 ? 'allocation' : 'allocations'}):\n[reset]`;
      out += `[yellow]${formatAllocMetrics(m, '    ').join('\n')}[reset]\n\n`;
    }
    if (rolling === undefined) out = out.replace(/\n$/, '');
  }
  if (rolling !== undefined) out += `[green]- Rolling update, next evaluation will be in ${Math.round(rolling.Wait / 1e9)}s.\n`;
  return out.replace(/\n$/, '');
}
