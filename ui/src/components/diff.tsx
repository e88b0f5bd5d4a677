// A job diff (Nomad's JobDiff) as `job plan` prints it: + added, - deleted, ~ edited, with the
// scheduler's annotations ("forces create/destroy update") and per-group update counts.
import type { FieldDiff, JobDiff, ObjectDiff, TaskGroupDiff } from '../api/types';

const MARK: Record<string, string> = { Added: '+', Deleted: '-', Edited: '~', None: ' ' };

function Field({ f }: { f: FieldDiff }) {
  const value = f.Type === 'Added' ? f.New : f.Type === 'Deleted' ? f.Old : `${JSON.stringify(f.Old)} => ${JSON.stringify(f.New)}`;
  return (
    <div className={`diff-line diff-${f.Type.toLowerCase()}`}>
      <span className="diff-mark">{MARK[f.Type] ?? ' '}</span> {f.Name}: <span className="diff-value">{f.Type === 'Edited' ? value : JSON.stringify(value)}</span>
      {f.Annotations && f.Annotations.length > 0 && <span className="diff-annotation"> ({f.Annotations.join(', ')})</span>}
    </div>
  );
}

function Obj({ o }: { o: ObjectDiff }) {
  return (
    <div className={`diff-block diff-${o.Type.toLowerCase()}`}>
      <div className="diff-line">
        <span className="diff-mark">{MARK[o.Type] ?? ' '}</span> {o.Name} {'{'}
      </div>
      <div className="diff-children">
        {(o.Fields ?? []).map((f) => (
          <Field key={`f-${f.Name}`} f={f} />
        ))}
        {(o.Objects ?? []).map((c, i) => (
          <Obj key={`o-${c.Name}-${i}`} o={c} />
        ))}
      </div>
      <div className="diff-line">{'}'}</div>
    </div>
  );
}

function Group({ g }: { g: TaskGroupDiff }) {
  const updates = Object.entries(g.Updates ?? {}).filter(([, n]) => n > 0);
  return (
    <div className={`diff-block diff-${g.Type.toLowerCase()}`}>
      <div className="diff-line">
        <span className="diff-mark">{MARK[g.Type] ?? ' '}</span> Task Group: “{g.Name}”
        {updates.length > 0 && <span className="diff-annotation"> ({updates.map(([k, n]) => `${n} ${k}`).join(', ')})</span>}
      </div>
      <div className="diff-children">
        {(g.Fields ?? []).map((f) => (
          <Field key={`f-${f.Name}`} f={f} />
        ))}
        {(g.Objects ?? []).map((o, i) => (
          <Obj key={`o-${o.Name}-${i}`} o={o} />
        ))}
        {(g.Tasks ?? []).map((t) => (
          <div key={t.Name} className={`diff-block diff-${t.Type.toLowerCase()}`}>
            <div className="diff-line">
              <span className="diff-mark">{MARK[t.Type] ?? ' '}</span> Task: “{t.Name}”
              {t.Annotations && t.Annotations.length > 0 && <span className="diff-annotation"> ({t.Annotations.join(', ')})</span>}
            </div>
            <div className="diff-children">
              {(t.Fields ?? []).map((f) => (
                <Field key={`f-${f.Name}`} f={f} />
              ))}
              {(t.Objects ?? []).map((o, i) => (
                <Obj key={`o-${o.Name}-${i}`} o={o} />
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

export function DiffView({ diff, testId }: { diff: JobDiff; testId?: string }) {
  const fields = diff.Fields ?? [];
  const objects = diff.Objects ?? [];
  const groups = diff.TaskGroups ?? [];
  return (
    <div className="diff code" data-testid={testId}>
      <div className={`diff-line diff-${diff.Type.toLowerCase()}`}>
        <span className="diff-mark">{MARK[diff.Type] ?? ' '}</span> Job: “{diff.ID}”
      </div>
      <div className="diff-children">
        {fields.map((f) => (
          <Field key={`f-${f.Name}`} f={f} />
        ))}
        {objects.map((o, i) => (
          <Obj key={`o-${o.Name}-${i}`} o={o} />
        ))}
        {groups.map((g) => (
          <Group key={g.Name} g={g} />
        ))}
      </div>
    </div>
  );
}

/** Whether a diff changes anything at all. */
export function diffChanges(d: JobDiff | null | undefined): boolean {
  if (!d) return false;
  return d.Type !== 'None' || (d.Fields ?? []).some((f) => f.Type !== 'None') || (d.TaskGroups ?? []).some((g) => g.Type !== 'None');
}
