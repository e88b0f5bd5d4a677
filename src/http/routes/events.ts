// GET /v1/event/stream: newline-delimited JSON batches of events, as Nomad streams them, with a
// `{}` heartbeat line every 30 s so proxies and clients know the stream is alive.
import { parseTopics } from '../../server/events.js';
import type { Server } from '../../server/server.js';
import { BadRequestError } from '../errors.js';
import type { Route } from '../route.js';

export function eventRoutes(server: Server, heartbeatMs = 30_000): Route[] {
  return [
    {
      methods: ['GET'],
      path: '/v1/event/stream',
      stream: async (req, { res }) => {
        const raw = req.rawQuery['topic'];
        const topics = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
        const filter = parseTopics(topics);
        if (typeof filter === 'string') throw new BadRequestError(filter);
        const sub = server.events.subscribe(req.query.minIndex, filter, req.query.namespace);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', 'X-Nomad-Index': String(server.store.snapshot().revision) });
        const beat = setInterval(() => res.write('{}\n'), heartbeatMs);
        try {
          for (;;) {
            const batch = await sub.next(req.signal);
            if (!batch) break;
            res.write(`${JSON.stringify(batch)}\n`);
          }
        } finally {
          clearInterval(beat);
          sub.close();
          res.end();
        }
      },
    },
  ];
}
