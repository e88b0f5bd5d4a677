// Small building blocks shared by pages: page header, sub-navigation tabs, key/value lists, the
// two-step confirm button, the search box ("/" focuses it), JSON view and a ticking clock.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';

export function PageHeader({ title, badge, children, crumbs }: { title: ReactNode; badge?: ReactNode; children?: ReactNode; crumbs?: { to: string; label: string }[] }) {
  return (
    <header className="page-header">
      {crumbs && crumbs.length > 0 && (
        <nav className="crumbs" aria-label="Breadcrumb">
          {crumbs.map((c) => (
            <span key={c.to}>
              <Link href={c.to}>{c.label}</Link>
              <span className="crumb-sep">/</span>
            </span>
          ))}
        </nav>
      )}
      <div className="page-title-row">
        <h1 className="page-title">
          {title} {badge}
        </h1>
        <div className="page-actions">{children}</div>
      </div>
    </header>
  );
}

export function Tabs({ tabs }: { tabs: { to: string; label: ReactNode; exact?: boolean }[] }) {
  const [location] = useLocation();
  return (
    <nav className="tabs" aria-label="Sections">
      {tabs.map((t) => {
        // The router hands us a decodeURI'd location; compare like with like.
        const to = safeDecode(t.to);
        const on = t.exact ? location === to : location === to || location.startsWith(`${to}/`);
        return (
          <Link key={t.to} href={t.to} className={on ? 'tab active' : 'tab'} aria-current={on ? 'page' : undefined}>
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

export function KeyValues({ items, testId }: { items: [ReactNode, ReactNode][]; testId?: string }) {
  return (
    <dl className="kv" data-testid={testId}>
      {items.map(([k, v], i) => (
        <div key={i} className="kv-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A button that asks "Yes, …?" before acting; shows progress and re-arms after. */
export function ConfirmButton({ label, confirm, onConfirm, danger = false, disabled = false, testId }: { label: string; confirm: string; onConfirm: () => Promise<void> | void; danger?: boolean; disabled?: boolean; testId?: string }) {
  const [armed, setArmed] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!armed) return undefined;
    const t = setTimeout(() => setArmed(false), 6000);
    return () => clearTimeout(t);
  }, [armed]);
  if (!armed)
    return (
      <button type="button" className={`btn ${danger ? 'btn-danger-outline' : ''}`} disabled={disabled || busy} onClick={() => setArmed(true)} data-testid={testId}>
        {busy ? `${label}…` : label}
      </button>
    );
  return (
    <span className="confirm">
      <button
        type="button"
        className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
        data-testid={testId ? `${testId}-confirm` : undefined}
        onClick={() => {
          setArmed(false);
          setBusy(true);
          void Promise.resolve(onConfirm()).finally(() => setBusy(false));
        }}
      >
        {confirm}
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => setArmed(false)}>
        Cancel
      </button>
    </span>
  );
}

export function SearchBox({ value, onChange, placeholder, label }: { value: string; onChange: (v: string) => void; placeholder: string; label: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent): void => {
      const t = e.target as HTMLElement | null;
      if (e.key === '/' && t && !['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) && !t.isContentEditable && !t.closest('.xterm')) {
        e.preventDefault();
        ref.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <label className="search">
      <span className="sr-only">{label}</span>
      <input
        ref={ref}
        type="search"
        value={value}
        placeholder={`${placeholder}  ( / )`}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            onChange('');
            ref.current?.blur();
          }
        }}
      />
    </label>
  );
}

export function Select<V extends string>({ label, value, options, onChange, testId }: { label: string; value: V; options: { value: V; label: string }[]; onChange: (v: V) => void; testId?: string }) {
  return (
    <label className="select">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as V)} data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** JSON, indented, with keys, strings and numbers coloured; plain text inside <pre>. */
export function JsonView({ value, testId }: { value: unknown; testId?: string }) {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  const parts: ReactNode[] = [];
  const re = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const cls = m[1] ? (m[2] ? 'j-key' : 'j-str') : m[3] ? 'j-lit' : 'j-num';
    parts.push(
      <span key={i++} className={cls}>
        {m[1] ?? m[0]}
      </span>,
    );
    if (m[2]) parts.push(m[2]);
    last = re.lastIndex;
  }
  parts.push(text.slice(last));
  return (
    <pre className="code json" data-testid={testId}>
      {parts}
    </pre>
  );
}

/** The current time, updated every `ms`, so "5s ago" labels stay true. */
export function useNow(ms = 5000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function Section({ title, children, actions, testId }: { title: ReactNode; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <section className="section" data-testid={testId}>
      <div className="section-head">
        <h2>{title}</h2>
        {actions && <div className="section-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
