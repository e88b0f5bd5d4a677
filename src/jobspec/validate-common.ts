// Shared pieces of job validation: the error shape, the reporter callback, and the affinity and
// spread checks used at job, group and task level.
export interface JobValidationError {
  /** Where in the job: '' for the job itself, else e.g. 'group "web" → task "app" → template[0]'. */
  path: string;
  message: string;
}

export type Report = (path: string, message: string) => void;

export function affinityErrors(weight: number, operand: string): string[] {
  const out: string[] = [];
  if (weight === 0) out.push('Affinity weight cannot be zero');
  if (weight > 100 || weight < -100) out.push(`Affinity weight must be within the range [-100,100]`);
  if (operand === 'distinct_hosts' || operand === 'distinct_property') out.push(`Affinity operator "${operand}" is not allowed`);
  return out;
}

export function spreadErrors(weight: number, targets: { Value: string; Percent: number }[] | null): string[] {
  const out: string[] = [];
  if (weight <= 0 || weight > 100) out.push('Spread block must have a positive weight from 0 to 100');
  let sum = 0;
  const seen = new Set<string>();
  for (const t of targets ?? []) {
    if (seen.has(t.Value)) out.push(`Spread target value "${t.Value}" already defined`);
    seen.add(t.Value);
    if (t.Percent > 100) out.push(`Spread target percentage for value "${t.Value}" must be between 0 and 100`);
    sum += t.Percent;
  }
  if (sum > 100) out.push(`Sum of spread target percentages must not be greater than 100%; got ${sum}%`);
  return out;
}
