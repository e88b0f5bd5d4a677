// An allocation's files (Nomad UI's /allocations/<id>/fs/<path>): the allocation directory — the
// shared alloc/ dir and one dir per task — browsed through /v1/client/fs/ls and stat; a text file
// opens in place (read in pieces with readat), any file downloads raw through /v1/client/fs/cat.
// Paths are deep links: each segment of the file's path is a segment of the page's URL.
import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { ApiError, errorMessage } from '../api/client';
import { useLoad } from '../api/load';
import type { AllocFileInfo, Allocation } from '../api/types';
import { useWatch } from '../api/watch';
import { PageHeader, Section } from '../components/bits';
import { Empty, ErrorView, Loading } from '../components/states';
import { DataTable, type Column } from '../components/table';
import { bytes, formatTime, shortId } from '../lib/format';
import { allocFsPath, allocPath, jobPath } from '../lib/paths';

/** How much of a file one read shows; "Show more" reads the next piece. */
const CHUNK = 64 * 1024;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The file path (relative to the allocation directory, no leading "/") a URL names. */
function pathFromParams(raw: string | undefined): string {
  return (raw ?? '')
    .split('/')
    .filter(Boolean)
    .map(safeDecode)
    .join('/');
}

const fsApi = (op: string, allocId: string, path: string, extra = ''): string => `/v1/client/fs/${op}/${encodeURIComponent(allocId)}?path=${encodeURIComponent(`/${path}`)}${extra}`;

export function AllocFsPage() {
  const params = useParams<{ id: string; '*'?: string }>();
  const allocId = params.id;
  const path = pathFromParams(params['*']);
  const alloc = useWatch<Allocation>(`/v1/allocation/${encodeURIComponent(allocId)}`);
  // What the path shows is read again when the allocation changes (a task restarts, stops) or on Reload.
  const [reloads, setReloads] = useState(0);
  const version = `${alloc.index}:${reloads}`;
  const stat = useLoad<AllocFileInfo>(alloc.data ? fsApi('stat', alloc.data.ID, path) : null, version);

  if (alloc.data === undefined) {
    if (alloc.error) return <ErrorView error={alloc.error} what={`allocation “${allocId}”`} back={{ to: '/jobs', label: 'All jobs' }} />;
    return <Loading what={`allocation ${allocId}`} />;
  }
  const a = alloc.data;
  const parts = path ? path.split('/') : [];
  return (
    <div className="page">
      <PageHeader
        title={<span>Files</span>}
        crumbs={[
          { to: '/jobs', label: 'Jobs' },
          { to: jobPath(a.JobID, a.Namespace), label: a.JobID },
          { to: allocPath(a.ID), label: shortId(a.ID) },
        ]}
      >
        <button type="button" className="btn" onClick={() => setReloads((n) => n + 1)} data-testid="fs-reload">
          Reload
        </button>
        {stat.data && !stat.data.IsDir && (
          <a className="btn" href={fsApi('cat', a.ID, path)} download={parts[parts.length - 1] ?? 'file'} data-testid="fs-download">
            Download
          </a>
        )}
      </PageHeader>
      <nav className="fs-path" aria-label="Path" data-testid="fs-path">
        <Link href={allocFsPath(a.ID)} className="mono">
          {shortId(a.ID)}
        </Link>
        {parts.map((p, i) => (
          <span key={i}>
            <span className="crumb-sep">/</span>
            {i === parts.length - 1 ? (
              <span className="mono strong">{p}</span>
            ) : (
              <Link href={allocFsPath(a.ID, parts.slice(0, i + 1).join('/'))} className="mono">
                {p}
              </Link>
            )}
          </span>
        ))}
      </nav>
      {stat.data === undefined ? (
        stat.error ? (
          <FsError error={stat.error} path={path} allocId={a.ID} running={a.ClientStatus === 'running' || a.ClientStatus === 'pending'} />
        ) : (
          <Loading what={`/${path}`} />
        )
      ) : stat.data.IsDir ? (
        <Directory allocId={a.ID} path={path} version={version} />
      ) : (
        <FileView allocId={a.ID} path={path} info={stat.data} version={version} />
      )}
    </div>
  );
}

function FsError({ error, path, allocId, running }: { error: ApiError; path: string; allocId: string; running: boolean }) {
  const up = path.split('/').slice(0, -1).join('/');
  if (error.status === 404 && path === '')
    return (
      <Empty title="The allocation directory is gone">
        <p>{running ? 'The client has not created it yet.' : 'The client removed it after the allocation finished (garbage collection).'}</p>
      </Empty>
    );
  return (
    <div className="state state-error" role="alert">
      <h3>{error.status === 404 ? `No file at /${path}` : error.status === 403 ? `Not allowed to read /${path}` : `Could not read /${path}`}</h3>
      <p className="mono">{error.message}</p>
      <p>
        <Link href={allocFsPath(allocId, up)}>← Up to /{up}</Link>
      </p>
    </div>
  );
}

function Directory({ allocId, path, version }: { allocId: string; path: string; version: string }) {
  const ls = useLoad<AllocFileInfo[]>(fsApi('ls', allocId, path), version);
  const [, navigate] = useLocation();
  if (ls.data === undefined) return ls.error ? <ErrorView error={ls.error} what={`directory /${path}`} /> : <Loading what="the directory" />;
  const child = (f: AllocFileInfo): string => allocFsPath(allocId, path ? `${path}/${f.Name}` : f.Name);
  const rows = [...ls.data].sort((x, y) => (x.IsDir === y.IsDir ? (x.Name < y.Name ? -1 : 1) : x.IsDir ? -1 : 1));
  const cols: Column<AllocFileInfo>[] = [
    {
      key: 'name',
      header: 'Name',
      sort: (f) => `${f.IsDir ? 0 : 1}${f.Name}`,
      cell: (f) => (
        <Link href={child(f)} className={`mono strong fs-entry ${f.IsDir ? 'fs-dir' : 'fs-file'}`}>
          {f.Name}
          {f.IsDir ? '/' : ''}
        </Link>
      ),
    },
    { key: 'size', header: 'Size', sort: (f) => (f.IsDir ? -1 : f.Size), cell: (f) => (f.IsDir ? <span className="muted">–</span> : bytes(f.Size)), className: 'num' },
    { key: 'mode', header: 'Mode', cell: (f) => <span className="mono small">{f.FileMode}</span> },
    { key: 'modified', header: 'Modified', sort: (f) => f.ModTime, cell: (f) => formatTime(f.ModTime) },
  ];
  return (
    <Section title={`/${path}`} testId="fs-directory" actions={path ? <Link href={allocFsPath(allocId, path.split('/').slice(0, -1).join('/'))}>↑ Up</Link> : undefined}>
      <DataTable label="Files" testId="fs-table" rows={rows} columns={cols} rowKey={(f) => f.Name} onOpen={(f) => navigate(child(f))} pageSize={100} empty={<Empty title="This directory is empty" />} />
    </Section>
  );
}

/** Whether bytes look like text: no NUL byte and valid UTF-8 in what was read. */
function decodeText(buf: ArrayBuffer): string | undefined {
  const u8 = new Uint8Array(buf);
  if (u8.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(u8);
  } catch {
    // A multi-byte character cut at the end of the piece is still text.
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(u8.subarray(0, Math.max(0, u8.length - 3)));
    } catch {
      return undefined;
    }
  }
}

function FileView({ allocId, path, info, version }: { allocId: string; path: string; info: AllocFileInfo; version: string }) {
  const [limit, setLimit] = useState(CHUNK);
  const [state, setState] = useState<{ text?: string; binary?: boolean; error?: string; loading: boolean }>({ loading: true });
  useEffect(() => setLimit(CHUNK), [path]);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const url = fsApi('readat', allocId, path, `&offset=0&limit=${limit}`);
    fetch(url, { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) throw new ApiError(res.status, (await res.text()).trim(), url);
        const text = decodeText(await res.arrayBuffer());
        setState(text === undefined ? { binary: true, loading: false } : { text, loading: false });
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setState({ error: errorMessage(err), loading: false });
      });
    return () => controller.abort();
  }, [allocId, path, limit, version]);
  const shown = Math.min(limit, info.Size);
  return (
    <Section
      title={path.split('/').pop() ?? path}
      testId="fs-file"
      actions={
        <span className="muted small">
          {bytes(info.Size)} · {info.FileMode} · modified {formatTime(info.ModTime)}
        </span>
      }
    >
      {state.error ? (
        <p className="bad">Could not read the file: {state.error}</p>
      ) : state.binary ? (
        <Empty title="This file is not text">
          <p>
            Use <a href={fsApi('cat', allocId, path)} download={path.split('/').pop() ?? 'file'}>Download</a> to save it, or <code>roam alloc fs {shortId(allocId)} /{path}</code>.
          </p>
        </Empty>
      ) : state.text === undefined ? (
        <Loading what="the file" />
      ) : info.Size === 0 ? (
        <p className="muted">The file is empty.</p>
      ) : (
        <>
          <pre className="code fs-content" data-testid="fs-content" tabIndex={0}>
            {state.text}
          </pre>
          {info.Size > limit && (
            <div className="form-actions">
              <span className="muted small">
                Showing the first {bytes(shown)} of {bytes(info.Size)}.
              </span>
              <button type="button" className="btn btn-small" onClick={() => setLimit((l) => l + 4 * CHUNK)} data-testid="fs-more">
                Show more
              </button>
            </div>
          )}
        </>
      )}
    </Section>
  );
}
