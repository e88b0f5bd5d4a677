// Run job: paste or type a job file (HCL, or JSON as `roam job run -json` takes it), plan it —
// the diff against what runs now and what the scheduler would do, placement failures explained —
// then run exactly what was planned (with the plan's job modify index, as `job run -check-index`),
// sending the text as the job's submission so the Definition tab can show it later, as Nomad's UI.
// Input variables go in a var-file's syntax (`name = value`), as `-var-file` takes them.
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { parseHcl, planJob, registerJob } from '../api/actions';
import { errorMessage } from '../api/client';
import type { Job, JobPlanResponse, JobSubmissionInput } from '../api/types';
import { PlacementFailures } from '../components/allocs';
import { PageHeader, Section } from '../components/bits';
import { DiffView } from '../components/diff';
import { HclEditor } from '../components/hcl-editor';
import { Notice } from '../components/states';
import { formatTime } from '../lib/format';
import { jobPath } from '../lib/paths';
import { RUN_DRAFT_KEY, RUN_VARS_KEY } from './job-tabs';

const EXAMPLE = `job "example" {
  type = "service"

  group "web" {
    count = 1

    network {
      port "http" {}
    }

    task "server" {
      driver = "raw_exec"

      config {
        command = "python3"
        args    = ["-m", "http.server", "\${NOMAD_PORT_http}", "--bind", "127.0.0.1"]
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
`;

const UPDATE_LABELS: [keyof NonNullable<NonNullable<JobPlanResponse['Annotations']>['DesiredTGUpdates']>[string], string][] = [
  ['Place', 'create'],
  ['DestructiveUpdate', 'create/destroy update'],
  ['InPlaceUpdate', 'in-place update'],
  ['Stop', 'destroy'],
  ['Migrate', 'migrate'],
  ['Canary', 'canary'],
  ['Preemptions', 'preempt'],
  ['Ignore', 'ignore'],
];

const isJsonText = (text: string): boolean => text.trim().startsWith('{');

/** What is stored with the job: the text as typed, its format, and the variables (HCL only). */
function submissionOf(text: string, variables: string): JobSubmissionInput {
  const json = isJsonText(text);
  return { Source: text, Format: json ? 'json' : 'hcl2', VariableFlags: null, Variables: json ? '' : variables };
}

/** Takes a one-time value handed over by another page (the Definition tab's "Edit and plan"). */
function takeDraft(key: string): string | null {
  const v = sessionStorage.getItem(key);
  if (v !== null) sessionStorage.removeItem(key);
  return v;
}

/** The job a text holds: JSON (`{"Job": {...}}` or the job itself) is read here, HCL by the agent. */
async function jobFromText(text: string, variables: string): Promise<Job> {
  const t = text.trim();
  if (t === '') throw new Error('The job file is empty: paste a job specification, or load the example.');
  if (t.startsWith('{')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (err) {
      throw new Error(`The text looks like JSON but does not parse: ${errorMessage(err)}`);
    }
    const job = (v && typeof v === 'object' && 'Job' in v ? (v as { Job: unknown }).Job : v) as Job | null;
    if (!job || typeof job !== 'object' || typeof job.ID !== 'string') throw new Error('The JSON has no job: expected {"Job": {"ID": ...}} or a job object with an ID.');
    return job;
  }
  return parseHcl(text, variables);
}

function PlacementOutcome({ plan }: { plan: JobPlanResponse }) {
  const groups = Object.entries(plan.Annotations?.DesiredTGUpdates ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (groups.length === 0) return <p className="muted">The scheduler has nothing to do for this job.</p>;
  return (
    <ul className="outcome" data-testid="plan-outcome">
      {groups.map(([name, u]) => {
        const parts = UPDATE_LABELS.filter(([k]) => (u[k] ?? 0) > 0).map(([k, label]) => `${u[k]} ${label}`);
        return (
          <li key={name}>
            Task group <strong>“{name}”</strong>: {parts.length ? parts.join(', ') : 'no changes'}
          </li>
        );
      })}
    </ul>
  );
}

export function JobRun() {
  const [, navigate] = useLocation();
  const [text, setText] = useState(() => takeDraft(RUN_DRAFT_KEY) ?? '');
  const [vars, setVars] = useState(() => takeDraft(RUN_VARS_KEY) ?? '');
  const [planned, setPlanned] = useState<{ text: string; vars: string; job: Job; plan: JobPlanResponse } | undefined>();
  const [busy, setBusy] = useState<'plan' | 'run' | undefined>();
  const [error, setError] = useState<string | undefined>();
  const stale = planned !== undefined && (planned.text !== text || planned.vars !== vars);

  useEffect(() => {
    if (stale) setPlanned(undefined);
  }, [stale]);

  const plan = async (): Promise<void> => {
    setBusy('plan');
    setError(undefined);
    try {
      const job = await jobFromText(text, vars);
      const p = await planJob(job);
      setPlanned({ text, vars, job, plan: p });
    } catch (err) {
      setPlanned(undefined);
      setError(errorMessage(err));
    } finally {
      setBusy(undefined);
    }
  };

  const run = async (): Promise<void> => {
    if (!planned) return;
    setBusy('run');
    setError(undefined);
    try {
      await registerJob(planned.job, planned.plan.JobModifyIndex, submissionOf(planned.text, planned.vars));
      navigate(jobPath(planned.job.ID, planned.job.Namespace || 'default'));
    } catch (err) {
      setError(`${errorMessage(err)}${/modify index/i.test(errorMessage(err)) ? '\nThe job changed since the plan: plan again.' : ''}`);
    } finally {
      setBusy(undefined);
    }
  };

  const p = planned?.plan;
  const failed = Object.keys(p?.FailedTGAllocs ?? {}).length > 0;
  return (
    <div className="page">
      <PageHeader title="Run job" crumbs={[{ to: '/jobs', label: 'Jobs' }]} />
      <Section
        title="Job specification"
        actions={
          <>
            <label className="btn btn-small file-btn">
              Load file…
              <input
                type="file"
                accept=".hcl,.nomad,.json,text/plain"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void f.text().then(setText);
                  e.target.value = '';
                }}
              />
            </label>
            <button type="button" className="btn btn-small" onClick={() => setText(EXAMPLE)}>
              Example
            </button>
          </>
        }
      >
        <HclEditor value={text} onChange={setText} label="Job specification" testId="job-editor" onSubmit={() => void plan()} />
        {!isJsonText(text) && (
          <details className="run-vars" open={vars !== ''}>
            <summary>Variables{vars.trim() ? ` (${vars.trim().split('\n').filter((l) => /^\s*[A-Za-z_][\w-]*\s*=/.test(l)).length} set)` : ''}</summary>
            <textarea
              className="vars-input"
              aria-label="Variables"
              data-testid="job-variables"
              spellCheck={false}
              rows={4}
              value={vars}
              placeholder={'Values for the job\u2019s variable blocks, as in a -var-file:\nimage = "busybox:1.36"'}
              onChange={(e) => setVars(e.target.value)}
            />
          </details>
        )}
        <div className="form-actions run-actions">
          <button type="button" className="btn btn-primary" disabled={busy !== undefined} onClick={() => void plan()} data-testid="plan-job">
            {busy === 'plan' ? 'Planning…' : 'Plan'}
          </button>
          <span className="muted small">HCL or JSON · Ctrl+Enter plans · nothing runs until you press Run</span>
        </div>
      </Section>
      {error && (
        <Notice kind="error" onClose={() => setError(undefined)}>
          {error}
        </Notice>
      )}
      {p && planned && (
        <Section title={`Plan for “${planned.job.ID}”`} testId="plan-result" actions={<span className="muted small">{planned.plan.JobModifyIndex === 0 ? 'a new job' : `job modify index ${planned.plan.JobModifyIndex}`}</span>}>
          <h3 className="sub">Scheduler dry-run</h3>
          {failed ? (
            <>
              <p className="bad">Some allocations would not be placed. They would wait until capacity frees up.</p>
              <PlacementFailures failed={p.FailedTGAllocs} testId="plan-failures" />
            </>
          ) : (
            <p className="good-text">All tasks successfully allocated.</p>
          )}
          <PlacementOutcome plan={p} />
          {p.NextPeriodicLaunch && formatTime(p.NextPeriodicLaunch) !== '–' && <p>Next periodic launch: {formatTime(p.NextPeriodicLaunch)}</p>}
          {p.Warnings && <Notice kind="info">{p.Warnings}</Notice>}
          {p.Diff && (
            <>
              <h3 className="sub">Changes</h3>
              <DiffView diff={p.Diff} testId="plan-diff" />
            </>
          )}
          <div className="form-actions run-actions">
            <button type="button" className="btn btn-primary" disabled={busy !== undefined} onClick={() => void run()} data-testid="run-planned">
              {busy === 'run' ? 'Running…' : 'Run'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setPlanned(undefined)}>
              Cancel
            </button>
            <span className="muted small">
              Or from a terminal: <code>roam job run -check-index {p.JobModifyIndex} {planned.job.ID}.nomad.hcl</code>
            </span>
          </div>
        </Section>
      )}
      {!p && !error && (
        <p className="muted small">
          Jobs can also be submitted with <code>roam job run FILE</code>; <Link href="/jobs">back to the jobs list</Link>.
        </p>
      )}
    </div>
  );
}
