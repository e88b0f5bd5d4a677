// Loading, empty and error states: every one says what is going on and what to do next.
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" /> Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <h3>{title}</h3>
      {children && <div className="state-body">{children}</div>}
    </div>
  );
}

/** A failed load: a 404 says the object is gone, anything else shows the agent's message. */
export function ErrorView({ error, what, back }: { error: unknown; what: string; back?: { to: string; label: string } }) {
  const status = error instanceof ApiError ? error.status : 0;
  const message = error instanceof Error ? error.message : String(error);
  let title = `Could not load ${what}`;
  let hint: ReactNode = 'The page retries on its own; check that the agent is running (bash scripts/dev-agent.sh) and reload.';
  if (status === 404) {
    title = `No such ${what}`;
    hint = `It may have been garbage-collected or never existed. Check the ID in the address bar.`;
  } else if (status === 403) {
    title = `Not allowed to read ${what}`;
    hint = 'The agent refused the request: ACLs may require a token.';
  } else if (status === 0) {
    title = 'The agent is unreachable';
  }
  return (
    <div className="state state-error" role="alert">
      <h3>{title}</h3>
      <p className="mono">{message}</p>
      <p>{hint}</p>
      {back && (
        <p>
          <Link href={back.to}>← {back.label}</Link>
        </p>
      )}
    </div>
  );
}

/** A thin banner above data that is still shown but may be stale. */
export function StaleBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="banner banner-warn" role="status">
      Live updates paused: {error instanceof Error ? error.message : String(error)}. Retrying…
    </div>
  );
}

export function Notice({ kind, children, onClose }: { kind: 'error' | 'ok' | 'info'; children: ReactNode; onClose?: () => void }) {
  return (
    <div className={`banner banner-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div className="banner-body">{children}</div>
      {onClose && (
        <button type="button" className="link" onClick={onClose} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}
