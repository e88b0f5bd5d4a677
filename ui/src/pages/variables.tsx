// Variables: the list (paths, namespaces, when changed), one variable's items (values hidden until
// shown), editing with check-and-set (a change made meanwhile by someone else is reported, not
// overwritten), creating and deleting. Live through blocking queries on /v1/vars and /v1/var/:path.
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { deleteVariable, putVariable } from '../api/actions';
import { ApiError, errorMessage } from '../api/client';
import type { Variable, VariableMetadata } from '../api/types';
import { useWatch } from '../api/watch';
import { ConfirmButton, KeyValues, PageHeader, SearchBox, Section, useNow } from '../components/bits';
import { Empty, ErrorView, Loading, Notice, StaleBanner } from '../components/states';
import { DataTable, type Column } from '../components/table';
import { ago, formatTime } from '../lib/format';
import { varPath } from '../lib/paths';
import { useQueryState } from '../lib/use-query-state';

const PATH_RE = /^[a-zA-Z0-9-_~/]{1,128}$/;

export function VariablesList() {
  const vars = useWatch<VariableMetadata[]>('/v1/vars?namespace=*');
  const [params, setParams] = useQueryState();
  const [, navigate] = useLocation();
  const now = useNow();
  const q = (params.get('q') ?? '').toLowerCase();
  const rows = useMemo(() => (vars.data ?? []).filter((v) => !q || v.Path.toLowerCase().includes(q)), [vars.data, q]);
  const cols: Column<VariableMetadata>[] = [
    {
      key: 'path',
      header: 'Path',
      sort: (v) => v.Path,
      cell: (v) => (
        <Link href={varPath(v.Path, v.Namespace)} className="mono strong">
          {v.Path}
        </Link>
      ),
    },
    { key: 'ns', header: 'Namespace', sort: (v) => v.Namespace, cell: (v) => v.Namespace },
    { key: 'modified', header: 'Last modified', sort: (v) => v.ModifyTime, cell: (v) => <span title={formatTime(v.ModifyTime)}>{ago(v.ModifyTime, now)}</span> },
  ];
  return (
    <div className="page">
      <PageHeader title="Variables">
        <Link href="/variables/new" className="btn btn-primary" data-testid="new-variable">
          Create variable
        </Link>
      </PageHeader>
      <div className="toolbar">
        <SearchBox value={params.get('q') ?? ''} onChange={(v) => setParams({ q: v })} placeholder="Search variables by path" label="Search variables" />
      </div>
      <StaleBanner error={vars.data ? vars.error : undefined} />
      {vars.data === undefined ? (
        vars.error ? <ErrorView error={vars.error} what="variables" /> : <Loading what="variables" />
      ) : (
        <DataTable
          label="Variables"
          testId="variables-table"
          rows={rows}
          columns={cols}
          rowKey={(v) => `${v.Namespace}/${v.Path}`}
          onOpen={(v) => navigate(varPath(v.Path, v.Namespace))}
          initialSort={{ key: 'path', desc: false }}
          empty={
            <Empty title={q ? 'No variable matches' : 'No variables yet'}>
              {!q && (
                <p>
                  Variables hold configuration and secrets for tasks (read in templates with <code>nomadVar</code>). <Link href="/variables/new">Create one</Link>, or use <code>roam var put nomad/jobs/app key=value</code>.
                </p>
              )}
            </Empty>
          }
        />
      )}
    </div>
  );
}

interface Row {
  key: string;
  value: string;
}

function ItemsEditor({ rows, onChange }: { rows: Row[]; onChange: (rows: Row[]) => void }) {
  return (
    <div className="items-editor">
      {rows.map((r, i) => (
        <div key={i} className="item-row">
          <input aria-label={`Key ${i + 1}`} data-testid={`item-key-${i}`} placeholder="key" value={r.key} onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
          <textarea aria-label={`Value ${i + 1}`} data-testid={`item-value-${i}`} placeholder="value" rows={1} value={r.value} onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
          <button type="button" className="btn btn-ghost" aria-label={`Remove item ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))} disabled={rows.length === 1}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => onChange([...rows, { key: '', value: '' }])} data-testid="add-item">
        + Add item
      </button>
    </div>
  );
}

function itemsFrom(rows: Row[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const r of rows) {
    const k = r.key.trim();
    if (k === '' && r.value === '') continue;
    if (k === '') return 'Every item needs a key.';
    if (k in out) return `The key “${k}” appears twice.`;
    out[k] = r.value;
  }
  if (Object.keys(out).length === 0) return 'A variable needs at least one item.';
  return out;
}

export function VariableNew() {
  const [, navigate] = useLocation();
  const [path, setPath] = useState('');
  const [namespace, setNamespace] = useState('default');
  const [rows, setRows] = useState<Row[]>([{ key: '', value: '' }]);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = path.trim().replace(/^\/+|\/+$/g, '');
    if (!PATH_RE.test(p)) return setError('The path may use letters, digits, -, _, ~ and / (1 to 128 characters), for example nomad/jobs/web.');
    const items = itemsFrom(rows);
    if (typeof items === 'string') return setError(items);
    setBusy(true);
    try {
      // cas=0: create only; an existing variable at this path is not overwritten.
      await putVariable(p, namespace || 'default', items, 0);
      navigate(varPath(p, namespace || 'default'));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? `A variable already exists at ${p}: open it to edit it.` : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page">
      <PageHeader title="Create variable" crumbs={[{ to: '/variables', label: 'Variables' }]} />
      <Section title="Variable">
        <form className="form" onSubmit={(e) => void submit(e)} data-testid="variable-form">
          {error && <Notice kind="error">{error}</Notice>}
          <label className="field">
            <span>Path</span>
            <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="nomad/jobs/web" data-testid="variable-path" />
          </label>
          <label className="field">
            <span>Namespace</span>
            <input value={namespace} onChange={(e) => setNamespace(e.target.value)} />
          </label>
          <div className="field">
            <span>Items</span>
            <ItemsEditor rows={rows} onChange={setRows} />
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="variable-save">
              {busy ? 'Saving…' : 'Save'}
            </button>
            <Link href="/variables" className="btn btn-ghost">
              Cancel
            </Link>
          </div>
        </form>
      </Section>
    </div>
  );
}

export function VariablePage() {
  const params = useParams<{ '*': string }>();
  const raw = params['*'] ?? '';
  const at = raw.lastIndexOf('@');
  const path = decodeURIComponent(at > 0 ? raw.slice(0, at) : raw);
  const namespace = at > 0 ? decodeURIComponent(raw.slice(at + 1)) : 'default';
  const v = useWatch<Variable>(`/v1/var/${path.split('/').map(encodeURIComponent).join('/')}?namespace=${encodeURIComponent(namespace)}`);
  const [, navigate] = useLocation();
  const [editing, setEditing] = useState<Row[] | undefined>();
  const [shown, setShown] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const now = useNow();
  if (v.data === undefined) return v.error ? <ErrorView error={v.error} what={`variable “${path}”`} back={{ to: '/variables', label: 'All variables' }} /> : <Loading what="variable" />;
  const d = v.data;
  const save = async (rows: Row[]): Promise<void> => {
    const items = itemsFrom(rows);
    if (typeof items === 'string') return setNotice({ kind: 'error', text: items });
    try {
      await putVariable(d.Path, d.Namespace, items, d.ModifyIndex);
      setEditing(undefined);
      setNotice({ kind: 'ok', text: 'Saved.' });
    } catch (err) {
      setNotice({ kind: 'error', text: err instanceof ApiError && err.status === 409 ? 'Someone changed this variable since you opened it. Your edits are kept below; the page shows the current items — check them, then save again.' : errorMessage(err) });
    }
  };
  const items = Object.entries(d.Items ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return (
    <div className="page">
      <PageHeader title={<span className="mono">{d.Path}</span>} crumbs={[{ to: '/variables', label: 'Variables' }]}>
        {!editing && (
          <button type="button" className="btn" onClick={() => setEditing(items.map(([key, value]) => ({ key, value })))} data-testid="variable-edit">
            Edit
          </button>
        )}
        <ConfirmButton
          label="Delete"
          confirm="Yes, delete"
          danger
          testId="variable-delete"
          onConfirm={async () => {
            try {
              await deleteVariable(d.Path, d.Namespace);
              navigate('/variables');
            } catch (err) {
              setNotice({ kind: 'error', text: `Could not delete: ${errorMessage(err)}` });
            }
          }}
        />
      </PageHeader>
      {notice && (
        <Notice kind={notice.kind} onClose={() => setNotice(undefined)}>
          {notice.text}
        </Notice>
      )}
      <StaleBanner error={v.error} />
      {editing ? (
        <Section title="Edit items">
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              void save(editing);
            }}
          >
            <ItemsEditor rows={editing} onChange={setEditing} />
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" data-testid="variable-save">
                Save
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => setEditing(undefined)}>
                Cancel
              </button>
            </div>
          </form>
        </Section>
      ) : (
        <Section
          title={`${items.length} ${items.length === 1 ? 'item' : 'items'}`}
          actions={
            <button type="button" className="btn btn-small" onClick={() => setShown(!shown)} data-testid="variable-reveal">
              {shown ? 'Hide values' : 'Show values'}
            </button>
          }
        >
          <KeyValues testId="variable-items" items={items.map(([k, val]) => [<span className="mono">{k}</span>, <span className="mono">{shown ? val : '••••••••'}</span>])} />
        </Section>
      )}
      <Section title="Metadata">
        <KeyValues
          items={[
            ['Namespace', d.Namespace],
            ['Created', formatTime(d.CreateTime)],
            ['Modified', `${formatTime(d.ModifyTime)} (${ago(d.ModifyTime, now)})`],
            ['Modify index', d.ModifyIndex],
          ]}
        />
      </Section>
    </div>
  );
}
