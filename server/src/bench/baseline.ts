import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

/**
 * The baseline: a bare Socket.IO server on the same machine that emits to one
 * room when asked over HTTP, with no auth, no database and no event log. What
 * Callboard adds on top of this is the cost of writing, sequencing and logging.
 */
export async function startBaseline() {
  const http = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/emit') {
      io.to('room').emit('tick', { at: Date.now() });
      res.writeHead(202).end();
      return;
    }
    res.writeHead(404).end();
  });
  const io = new Server(http, { serveClient: false });
  io.on('connection', (socket) => void socket.join('room'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => io.close(),
  };
}
