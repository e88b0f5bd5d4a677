// roam's docker logger (Nomad's docker_logger): a small process per task that follows a
// container's output through the Engine API and writes stdout and stderr to its own stdout and
// stderr. The driver runs it under the roam-executor shim, which rotates those streams into the
// alloc's log files — so `roam alloc logs` reads docker tasks as it reads every other driver's —
// and keeps it running while the agent is down. It exits when the container's output ends.
//   docker-logger <endpoint> <containerID> <since unix seconds, 0 = from the start> <tty 0|1>
import { once } from 'node:events';
import { DockerClient, Demuxer, parseEndpoint } from './api.js';

async function write(out: NodeJS.WriteStream, data: Buffer): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

async function main(): Promise<number> {
  const [endpoint = '', container = '', since = '0', tty = '0'] = process.argv.slice(2);
  if (!container) {
    process.stderr.write('usage: docker-logger <endpoint> <containerID> <since> <tty>\n');
    return 2;
  }
  const client = new DockerClient(parseEndpoint(endpoint));
  const res = await client.stream(`/containers/${encodeURIComponent(container)}/logs`, {
    query: { follow: 1, stdout: 1, stderr: 1, since: Number(since) > 0 ? since : undefined },
  });
  if ((res.statusCode ?? 0) >= 300) {
    res.resume();
    return 1;
  }
  const demux = new Demuxer();
  for await (const chunk of res) {
    const buf = chunk as Buffer;
    if (tty === '1') {
      await write(process.stdout, buf);
      continue;
    }
    for (const f of demux.push(buf)) await write(f.stream === 2 ? process.stderr : process.stdout, f.data);
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  () => (process.exitCode = 1),
);
