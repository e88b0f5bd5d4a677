// The job page's heavier tabs: versions (with diffs and revert), the definition (the HCL it was
// submitted as, when the agent has it), and the dispatch form of parameterized jobs.
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { dispatchJob, revertJob } from '../api/actions';
import { errorMessage } from '../api/client';
import { useLoad } from '../api/load';
import type { JobSubmission, JobVersionsResponse } from '../api/types';
import { ConfirmButton, JsonView, Section } from '../components/bits';
import { DiffView, diffChanges } from '../components/diff';
import { HclView } from '../components/hcl-editor';
import { Empty, ErrorView, Loading, Notice } from '../components/states';
import { formatTime } from '../lib/format';
import { jobApi, jobPath } from '../lib/paths';
import type { JobCtx } from './job';

export const RUN_DRAFT_KEY = 'roam.run.draft';
export const RUN_VARS_KEY = 'roam.run.vars';

export function JobVersions({ job: j, ns }: JobCtx) {
  const versions = useLoad<JobVersionsResponse>(`${jobApi(j.ID, ns, 'versions')}&diffs=true`, `${j.Version}:${j.JobModifyIndex}`);
  const [error, setError] = useState<string | undefined>();
  if (versions.data === undefined) return versions.error ? <ErrorView error={versions.error} what="job versions" /> : <Loading what="versions" />;
  const list = versions.data.Versions ?? [];
  return (
    <div className="versions" data-testid="job-versions">
      {error && (
        <Notice kind="error" onClose={() => setError(undefined)}>
          {error}
        </Notice>
      )}
      {list.map((v, i) => {
        const diff = versions.data?.Diffs?.[i];
        return (
          <Section
            key={v.Version}
            title={
              <>
                Version #{v.Version} {v.Version === j.Version && <span className="pill pill-good">current</span>} {v.Stable && <span className="pill">stable</span>}
              </>
            }
            actions={
              v.Version !== j.Version ? (
                <ConfirmButton
                  label="Revert to this version"
                  confirm={`Yes, revert to #${v.Version}`}
                  onConfirm={async () => {
                    try {
                      await revertJob(j.ID, j.Namespace, v.Version, j.Version);
                      setError(undefined);
                    } catch (err) {
                      setError(`Could not revert: ${errorMessage(err)}`);
                    }
                  }}
                />
              ) : undefined
            }
          >
            <p className="muted small">Submitted {formatTime(v.SubmitTime)}</p>
            {diff && diffChanges(diff) ? (
              <details open={i === 0}>
                <summary>Changes from version #{list[i + 1]?.Version ?? v.Version - 1}</summary>
                <DiffView diff={diff} />
              </details>
            ) : i === list.length - 1 ? (
              <p className="muted">The first version.</p>
            ) : (
              <p className="muted">No changes to the specification.</p>
            )}
          </Section>
        );
      })}
    </div>
  );
}

/** A submission's -var flags as var-file lines, so the Run page can parse the job the same way. */
export function flagsAsVariables(flags: Record<string, string> | null): string {
  // HCL string literals: JSON's escapes, with template sequences kept literal.
  const quote = (v: string): string => JSON.stringify(v).replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  return Object.entries(flags ?? {})
    .map(([k, v]) => `${k} = ${quote(v)}\n`)
    .join('');
}

/** The version's job file as submitted (HCL, coloured as on the Run page) when the agent has it, else the job as JSON. */
export function JobDefinition({ job: j, ns }: JobCtx) {
  const [, navigate] = useLocation();
  const [copied, setCopied] = useState(false);
  const [showJson, setShowJson] = useState(false);
  const sub = useLoad<JobSubmission>(`${jobApi(j.ID, ns, 'submission')}&version=${j.Version}`, `${j.Version}:${j.JobModifyIndex}`);
  if (sub.loading && sub.data === undefined) return <Loading what="the definition" />;
  const source = sub.data && sub.data.Version === j.Version && sub.data.Format === 'hcl2' ? sub.data : undefined;
  const variables = source ? `${flagsAsVariables(source.VariableFlags)}${source.Variables}` : '';
  const asHcl = source !== undefined && !showJson;
  const text = asHcl ? source.Source : JSON.stringify(j, null, 2);
  return (
    <Section
      title={asHcl ? 'Job specification (HCL, as submitted)' : 'Definition (JSON)'}
      testId="definition"
      actions={
        <>
          {source && (
            <div className="segmented" role="group" aria-label="Format">
              <button type="button" className={asHcl ? 'on' : ''} aria-pressed={asHcl} onClick={() => setShowJson(false)} data-testid="definition-hcl">
                HCL
              </button>
              <button type="button" className={asHcl ? '' : 'on'} aria-pressed={!asHcl} onClick={() => setShowJson(true)} data-testid="definition-json">
                Full JSON
              </button>
            </div>
          )}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              void navigator.clipboard?.writeText(text).then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          {!j.ParentID && (
            <button
              type="button"
              className="btn btn-small"
              data-testid="edit-and-plan"
              onClick={() => {
                sessionStorage.setItem(RUN_DRAFT_KEY, source ? source.Source : JSON.stringify({ Job: j }, null, 2));
                if (variables) sessionStorage.setItem(RUN_VARS_KEY, variables);
                navigate('/jobs/run');
              }}
            >
              Edit and plan
            </button>
          )}
        </>
      }
    >
      {asHcl ? (
        <>
          <HclView text={source.Source} testId="job-definition" />
          {variables && (
            <details className="definition-vars">
              <summary>Variables it was run with</summary>
              <HclView text={variables} testId="job-definition-vars" />
            </details>
          )}
        </>
      ) : (
        <>
          {sub.data === undefined && sub.error?.status === 404 && !j.ParentID && (
            <p className="muted small">The agent has no job file for version {j.Version}: it was registered as JSON through the API. Jobs run with <code>roam job run FILE</code> or from the Run page show their HCL here.</p>
          )}
          <JsonView value={j} testId="job-definition" />
        </>
      )}
    </Section>
  );
}

export function JobDispatch({ job: j }: JobCtx) {
  const [, navigate] = useLocation();
  const p = j.ParameterizedJob;
  const required = p?.MetaRequired ?? [];
  const optional = p?.MetaOptional ?? [];
  const payloadMode = p?.Payload || 'optional';
  const [meta, setMeta] = useState<Record<string, string>>({});
  const [payload, setPayload] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (!p) return <Empty title="This job is not parameterized">Only jobs with a parameterized block can be dispatched.</Empty>;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const missing = required.filter((k) => !(meta[k] ?? '').trim());
    if (missing.length) return setError(`Missing required meta: ${missing.join(', ')}`);
    if (payloadMode === 'required' && payload === '') return setError('This job requires a payload.');
    setBusy(true);
    setError(undefined);
    try {
      const values = Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== ''));
      const r = await dispatchJob(j.ID, j.Namespace, values, payloadMode === 'forbidden' ? '' : payload);
      navigate(jobPath(r.DispatchedJobID, j.Namespace));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (k: string, req: boolean) => (
    <label key={k} className="field">
      <span>
        {k} {req ? <span className="req">required</span> : <span className="muted small">optional</span>}
      </span>
      <input name={`meta-${k}`} data-testid={`meta-${k}`} value={meta[k] ?? ''} onChange={(e) => setMeta({ ...meta, [k]: e.target.value })} aria-required={req} />
    </label>
  );

  return (
    <Section title={`Dispatch ${j.Name}`}>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="dispatch-form">
        {error && <Notice kind="error">{error}</Notice>}
        {required.length + optional.length === 0 && <p className="muted">This job takes no meta.</p>}
        {required.map((k) => field(k, true))}
        {optional.map((k) => field(k, false))}
        <label className="field">
          <span>
            Payload <span className="muted small">{payloadMode}</span>
          </span>
          <textarea data-testid="dispatch-payload" rows={5} value={payload} disabled={payloadMode === 'forbidden'} placeholder={payloadMode === 'forbidden' ? 'This job forbids a payload' : 'Written to the task’s dispatch_file, if it sets one'} onChange={(e) => setPayload(e.target.value)} />
        </label>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="dispatch-submit">
            {busy ? 'Dispatching…' : 'Dispatch'}
          </button>
          <Link href={jobPath(j.ID, j.Namespace)} className="btn btn-ghost">
            Cancel
          </Link>
        </div>
      </form>
    </Section>
  );
}
