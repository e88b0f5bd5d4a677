// `alloc exec` and script checks in a docker task through Docker's exec API: create an exec
// instance, start it on a hijacked connection (raw bytes with a TTY, multiplexed stdout/stderr
// without), feed stdin and half-close it at the end, resize the TTY, and read the exit code.
import type { ExecOptions, ExitResult } from '../driver.js';
import { DriverError } from '../driver.js';
import type { DockerClient } from './api.js';
import { Demuxer } from './api.js';

interface ExecInspect {
  Running?: boolean;
  ExitCode?: number | null;
  Pid?: number;
}

export async function execInContainer(client: DockerClient, containerID: string, opts: ExecOptions): Promise<ExitResult> {
  if (opts.command.length === 0) throw new DriverError('exec: no command given', false);
  if (opts.signal?.aborted) throw new DriverError('exec: aborted before it started', false);
  const attachStdin = opts.stdin !== undefined || opts.tty;
  const created = await client
    .json<{ Id: string }>(`/containers/${containerID}/exec`, {
      method: 'POST',
      body: { AttachStdin: attachStdin, AttachStdout: true, AttachStderr: true, Tty: opts.tty, Cmd: opts.command },
    })
    .catch((e: unknown) => {
      throw new DriverError(`exec: ${e instanceof Error ? e.message : String(e)}`, false);
    });
  const id = created.Id;
  const { socket, head } = await client.hijack(`/exec/${id}/start`, { Detach: false, Tty: opts.tty });
  const demux = new Demuxer();
  const deliver = (chunk: Buffer): void => {
    if (opts.tty) {
      opts.stdout(chunk);
      return;
    }
    for (const f of demux.push(chunk)) (f.stream === 2 ? opts.stderr : opts.stdout)(f.data);
  };
  const ended = new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => deliver(d));
    socket.once('end', resolve);
    socket.once('close', resolve);
    socket.once('error', () => resolve());
  });
  if (head.length > 0) deliver(head);

  const onAbort = (): void => {
    void client.json<ExecInspect>(`/exec/${id}/json`).then((st) => {
      if (st.Pid) {
        try {
          process.kill(st.Pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    });
    socket.destroy();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  if (opts.stdin && attachStdin) {
    void (async () => {
      try {
        for await (const chunk of opts.stdin ?? []) socket.write(chunk);
        // Half-close: dockerd closes the command's stdin, and output keeps flowing.
        if (!opts.tty) socket.end();
      } catch {
        // the command is gone
      }
    })();
  }
  if (opts.tty && opts.resize) {
    void (async () => {
      for await (const r of opts.resize ?? []) {
        await client.json(`/exec/${id}/resize`, { method: 'POST', query: { h: r.height, w: r.width } }).catch(() => undefined);
      }
    })();
  }

  await ended;
  opts.signal?.removeEventListener('abort', onAbort);
  socket.destroy();
  for (let i = 0; i < 50; i++) {
    const st = await client.json<ExecInspect>(`/exec/${id}/json`);
    if (!st.Running && st.ExitCode !== null && st.ExitCode !== undefined) return { exitCode: st.ExitCode, signal: 0, oomKilled: false };
    await new Promise((r) => setTimeout(r, 20));
  }
  return { exitCode: -1, signal: 0, oomKilled: false, error: 'exec: the exit code was not reported' };
}
