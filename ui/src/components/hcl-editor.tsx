// A plain textarea for job files with HCL syntax colouring: the text sits in a transparent
// textarea over a <pre> that holds the same text, tokenised. Native editing, undo and paste keep
// working; no editor library is shipped.
import { useMemo, useRef, type ReactNode } from 'react';

const TOKEN = /(#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:[^"\\\n]|\\.)*"?)|(<<-?\s*([A-Z_]+)\n[\s\S]*?\n\s*\4(?=\n|$))|\b(true|false|null)\b|(\b\d+(?:\.\d+)?\b)|^(\s*)([A-Za-z_][\w-]*)(?=\s*(?:=|"|\{))/gm;

export function highlightHcl(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let i = 0;
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text)) !== null) {
    if (m[0] === '') {
      TOKEN.lastIndex++;
      continue;
    }
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1]) out.push(<span key={i++} className="h-comment">{m[1]}</span>);
    else if (m[2]) out.push(<span key={i++} className="h-str">{m[2]}</span>);
    else if (m[3]) out.push(<span key={i++} className="h-str">{m[3]}</span>);
    else if (m[5]) out.push(<span key={i++} className="h-lit">{m[5]}</span>);
    else if (m[6]) out.push(<span key={i++} className="h-num">{m[6]}</span>);
    else if (m[8]) {
      out.push(m[7] ?? '');
      out.push(<span key={i++} className="h-key">{m[8]}</span>);
    }
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

/** A read-only job file, coloured as the editor colours it. */
export function HclView({ text, testId }: { text: string; testId?: string }) {
  const tokens = useMemo(() => highlightHcl(text), [text]);
  return (
    <pre className="code hcl" data-testid={testId}>
      {tokens}
    </pre>
  );
}

export function HclEditor({ value, onChange, label, testId, onSubmit }: { value: string; onChange: (v: string) => void; label: string; testId?: string; onSubmit?: () => void }) {
  const pre = useRef<HTMLPreElement>(null);
  const tokens = useMemo(() => highlightHcl(value), [value]);
  return (
    <div className="editor">
      <pre className="editor-layer" ref={pre} aria-hidden="true">
        {tokens}
        {'\n'}
      </pre>
      <textarea
        className="editor-input"
        aria-label={label}
        data-testid={testId}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (pre.current) {
            pre.current.scrollTop = e.currentTarget.scrollTop;
            pre.current.scrollLeft = e.currentTarget.scrollLeft;
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSubmit) {
            e.preventDefault();
            onSubmit();
          } else if (e.key === 'Tab' && !e.shiftKey) {
            // Two spaces, as `roam fmt` indents; Esc then Tab leaves the editor.
            e.preventDefault();
            const t = e.currentTarget;
            const { selectionStart: s, selectionEnd: end } = t;
            onChange(`${value.slice(0, s)}  ${value.slice(end)}`);
            requestAnimationFrame(() => t.setSelectionRange(s + 2, s + 2));
          } else if (e.key === 'Escape') e.currentTarget.blur();
        }}
      />
    </div>
  );
}
