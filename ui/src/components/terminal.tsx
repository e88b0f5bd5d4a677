// The exec terminal: xterm.js wired to Nomad's exec WebSocket
// (/v1/client/allocation/<id>/exec?task=&tty=true&command=[...]). Keystrokes go out as
// {"stdin":{"data":"<base64>"}}, the terminal size as {"tty_size":{...}}; stdout/stderr frames are
// written to the screen, and {"exited":true,"result":{"exit_code":N}} ends the session. Loaded
// lazily: the rest of the UI does not pay for xterm.
import { useEffect, useRef, useState } from 'react';
import { Terminal as XTerm } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';

interface ExecFrame {
  stdout?: { data?: string; close?: boolean };
  stderr?: { data?: string; close?: boolean };
  exited?: boolean;
  result?: { exit_code?: number };
}

function toBase64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The command line as typed, split on spaces with "double" and 'single' quotes kept together. */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? ''));
  return out;
}

type Session = 'idle' | 'connecting' | 'open' | 'closed';

export default function Terminal({ allocId, task }: { allocId: string; task: string }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<XTerm | undefined>(undefined);
  const fit = useRef<FitAddon | undefined>(undefined);
  const socket = useRef<WebSocket | undefined>(undefined);
  const [command, setCommand] = useState('/bin/sh');
  const [session, setSession] = useState<Session>('idle');
  const [message, setMessage] = useState('');

  useEffect(() => {
    if (!host.current) return undefined;
    const t = new XTerm({ cursorBlink: true, fontSize: 13, fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, monospace", theme: { background: '#111820', foreground: '#e4e8ee' }, scrollback: 5000 });
    const f = new FitAddon();
    t.loadAddon(f);
    t.open(host.current);
    f.fit();
    term.current = t;
    fit.current = f;
    const onData = t.onData((d) => {
      const ws = socket.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ stdin: { data: toBase64(d) } }));
    });
    const onResize = t.onResize(({ cols, rows }) => {
      const ws = socket.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ tty_size: { height: rows, width: cols } }));
    });
    const observer = new ResizeObserver(() => f.fit());
    observer.observe(host.current);
    t.writeln(`\x1b[90mRun a command next to task “${task}”: choose it above and press Connect.\x1b[0m`);
    return () => {
      observer.disconnect();
      onData.dispose();
      onResize.dispose();
      socket.current?.close();
      t.dispose();
    };
  }, [task]);

  const connect = (): void => {
    const t = term.current;
    const argv = splitCommand(command);
    if (!t || argv.length === 0) {
      setMessage('Type the command to run, for example /bin/sh or /bin/bash.');
      return;
    }
    socket.current?.close();
    t.reset();
    setMessage('');
    setSession('connecting');
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${proto}//${window.location.host}/v1/client/allocation/${allocId}/exec?task=${encodeURIComponent(task)}&tty=true&command=${encodeURIComponent(JSON.stringify(argv))}`;
    const ws = new WebSocket(url);
    socket.current = ws;
    const decoder = new TextDecoder();
    ws.onopen = () => {
      setSession('open');
      ws.send(JSON.stringify({ tty_size: { height: t.rows, width: t.cols } }));
      t.focus();
    };
    ws.onmessage = (ev: MessageEvent<string>) => {
      let frame: ExecFrame;
      try {
        frame = JSON.parse(ev.data) as ExecFrame;
      } catch {
        return;
      }
      const data = frame.stdout?.data ?? frame.stderr?.data;
      if (data) t.write(decoder.decode(fromBase64(data), { stream: true }));
      if (frame.exited) {
        const code = frame.result?.exit_code ?? 0;
        t.writeln(`\r\n\x1b[90m[exited with code ${code}]\x1b[0m`);
        setMessage(`The command exited with code ${code}.`);
      }
    };
    ws.onclose = (ev) => {
      if (socket.current !== ws) return;
      setSession('closed');
      // 4000 + HTTP status carries the agent's reason (unknown task, bad command, …).
      if (ev.code >= 4000) setMessage(`The agent closed the session: ${ev.reason || `code ${ev.code}`}`);
      else if (ev.code !== 1000 && ev.code !== 1005) setMessage(`The connection closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ''}).`);
    };
    ws.onerror = () => setMessage('The WebSocket failed: is the agent reachable?');
  };

  return (
    <div className="section exec">
      <form
        className="exec-bar"
        onSubmit={(e) => {
          e.preventDefault();
          connect();
        }}
      >
        <label className="exec-command">
          <span>Command</span>
          <input value={command} onChange={(e) => setCommand(e.target.value)} data-testid="exec-command" spellCheck={false} />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="exec-connect">
          {session === 'open' ? 'Reconnect' : 'Connect'}
        </button>
        {session === 'open' && (
          <button type="button" className="btn" onClick={() => socket.current?.close()}>
            Disconnect
          </button>
        )}
        <span className={`exec-state exec-${session}`} data-testid="exec-state">
          {session}
        </span>
      </form>
      {message && <p className="muted small">{message}</p>}
      <div className="terminal" ref={host} data-testid="terminal" />
    </div>
  );
}
