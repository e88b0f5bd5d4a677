// A task of an allocation: its state and event timeline, its logs (stdout/stderr streamed and
// followed), and an exec terminal next to it. The terminal's code (xterm.js) loads only when the
// Exec tab opens.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import type { Allocation } from '../api/types';
import { KeyValues, Section, useNow } from '../components/bits';
import { Empty, Loading } from '../components/states';
import { ago, formatTime } from '../lib/format';

const Terminal = lazy(() => import('../components/terminal'));

export function TaskEvents({ alloc: a, task }: { alloc: Allocation; task: string }) {
  const now = useNow();
  const state = a.TaskStates?.[task];
  const driver = a.Job?.TaskGroups?.find((g) => g.Name === a.TaskGroup)?.Tasks?.find((t) => t.Name === task)?.Driver;
  const events = [...(state?.Events ?? [])].reverse();
  return (
    <div className="grid-2 task-grid">
      <Section title="State">
        <KeyValues
          items={[
            ['State', state ? `${state.State}${state.Failed ? ' (failed)' : ''}` : 'pending'],
            ['Driver', driver ?? '–'],
            ['Started', formatTime(state?.StartedAt)],
            ['Finished', formatTime(state?.FinishedAt)],
            ['Restarts', state?.Restarts ?? 0],
          ]}
        />
      </Section>
      <Section title="Recent events" testId="task-events">
        {events.length === 0 ? (
          <Empty title="No events yet">The client records events as the task is set up, started, restarted and stopped.</Empty>
        ) : (
          <ol className="timeline">
            {events.map((e, i) => (
              <li key={`${e.Time}-${i}`} className={e.FailsTask || /fail|kill|terminated/i.test(e.Type) ? 'tl-bad' : ''}>
                <div className="tl-head">
                  <strong>{e.Type}</strong>
                  <span className="muted small" title={formatTime(e.Time)}>
                    {ago(e.Time, now)}
                  </span>
                </div>
                {e.DisplayMessage && <div className="tl-body">{e.DisplayMessage}</div>}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </div>
  );
}

/** Keep at most this much of a log in the page; older text is dropped from the top. */
const MAX_LOG_CHARS = 512 * 1024;

export function TaskLogs({ alloc: a, task }: { alloc: Allocation; task: string }) {
  const [type, setType] = useState<'stdout' | 'stderr'>('stdout');
  const [follow, setFollow] = useState(true);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<{ kind: 'connecting' | 'streaming' | 'ended' | 'waiting' | 'error'; message?: string }>({ kind: 'connecting' });
  const box = useRef<HTMLPreElement>(null);
  const started = Boolean(a.TaskStates?.[task]?.StartedAt && !String(a.TaskStates[task]?.StartedAt).startsWith('0001'));
  const live = a.ClientStatus === 'running' || a.ClientStatus === 'pending';

  useEffect(() => {
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    setText('');
    const open = async (): Promise<void> => {
      setStatus({ kind: 'connecting' });
      const url = `/v1/client/fs/logs/${a.ID}?task=${encodeURIComponent(task)}&type=${type}&origin=end&offset=${MAX_LOG_CHARS}&plain=true&follow=${live}`;
      try {
        const res = await fetch(url, { signal: controller.signal });
        if (!res.ok) throw new ApiError(res.status, (await res.text()).trim(), url);
        setStatus({ kind: 'streaming' });
        const reader = res.body?.getReader();
        const decoder = new TextDecoder();
        if (!reader) throw new ApiError(0, 'this browser cannot stream responses', url);
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const chunk = decoder.decode(value, { stream: true });
          if (chunk) setText((t) => (t + chunk).slice(-MAX_LOG_CHARS));
        }
        setStatus({ kind: 'ended' });
      } catch (err) {
        if (controller.signal.aborted) return;
        // Not started yet, or no output yet: try again shortly.
        if (err instanceof ApiError && err.status === 404) {
          setStatus({ kind: 'waiting', message: err.message });
          retry = setTimeout(() => void open(), 1500);
          return;
        }
        setStatus({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
        retry = setTimeout(() => void open(), 3000);
      }
    };
    void open();
    return () => {
      controller.abort();
      if (retry) clearTimeout(retry);
    };
  }, [a.ID, task, type, live, started]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [text, follow]);

  return (
    <Section
      title="Logs"
      actions={
        <>
          <div className="segmented" role="group" aria-label="Stream">
            {(['stdout', 'stderr'] as const).map((t) => (
              <button key={t} type="button" className={type === t ? 'on' : ''} aria-pressed={type === t} onClick={() => setType(t)} data-testid={`logs-${t}`}>
                {t}
              </button>
            ))}
          </div>
          <label className="check">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} data-testid="logs-follow" /> Follow
          </label>
        </>
      }
    >
      <pre
        className="logs"
        ref={box}
        data-testid="logs"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          if (follow !== atBottom) setFollow(atBottom);
        }}
      >
        {text}
      </pre>
      <p className="muted small logs-status" data-testid="logs-status">
        {status.kind === 'connecting' && 'Connecting…'}
        {status.kind === 'streaming' && (live ? `Streaming ${type}${follow ? ', following' : ''}.` : `The whole ${type} log.`)}
        {status.kind === 'ended' && (live ? 'The stream ended.' : `End of ${type}.`)}
        {status.kind === 'waiting' && `Waiting for output: ${status.message ?? ''}`}
        {status.kind === 'error' && `Could not read the logs: ${status.message ?? ''} (retrying)`}
        {text === '' && status.kind !== 'waiting' && status.kind !== 'connecting' && ` Nothing written to ${type} yet.`}
      </p>
    </Section>
  );
}

export function TaskExec({ alloc: a, task }: { alloc: Allocation; task: string }) {
  const running = a.TaskStates?.[task]?.State === 'running';
  if (!running)
    return (
      <Empty title="The task is not running">
        Exec runs a command next to a running task. This one is {a.TaskStates?.[task]?.State ?? 'pending'}.
      </Empty>
    );
  return (
    <Suspense fallback={<Loading what="the terminal" />}>
      <Terminal allocId={a.ID} task={task} />
    </Suspense>
  );
}
