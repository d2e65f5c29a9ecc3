import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { RedisLink } from '../redis.ts';
import {
  HEARTBEAT_MS,
  presenceFocusRequest,
  presenceJoinRequest,
  presenceLeaveRequest,
  syncRequest,
  type PresenceOk,
  type AckError,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@callboard/shared';
import type { AppContext, SocketRevoker } from '../context.ts';
import type { AuthContext } from '../http/auth-context.ts';
import { readCookie, SESSION_COOKIE } from '../http/cookies.ts';
import { AppError, conflict } from '../http/errors.ts';
import { parseInput } from '../http/validate.ts';
import { CustomerService } from '../features/customers/service.ts';
import { PresenceHub } from './presence.ts';
import { RedisPresenceStore } from './presence-redis.ts';
import { MemoryPresenceStore } from './presence-store.ts';

interface SocketData {
  auth: AuthContext;
}
export type CallboardServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type CallboardSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Rooms are chosen here, from credentials; no client message names a room. */
export const rooms = {
  tenant: (id: string) => `tenant:${id}`,
  user: (id: string) => `user:${id}`,
  session: (hash: string) => `session:${hash}`,
  apiKey: (id: string) => `apikey:${id}`,
};

type Authenticate = (credential: string, viaCookie: boolean) => Promise<AuthContext | null>;

/** Wraps a socket handler: validates the ack, answers errors as `{error}` and never throws. */
function acked<Req, Res>(ctx: AppContext, socket: CallboardSocket, handler: (req: Req) => Promise<Res>) {
  return (req: Req, ack: (answer: Res | AckError) => void) => {
    if (typeof ack !== 'function') return;
    handler(req).then(ack, (err: unknown) => {
      if (err instanceof AppError) {
        ack({ error: { code: err.code, message: err.message } });
      } else {
        ctx.log.error({ err, socket: socket.id }, 'socket handler failed');
        ack({ error: { code: 'internal', message: 'internal error' } });
      }
    });
  };
}

export function createRealtime(ctx: AppContext, httpServer: HttpServer, authenticate: Authenticate, redis: RedisLink | null) {
  const io: CallboardServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 1e6,
    // With several nodes, rooms (and so tenant broadcasts and revocations) cross nodes through Redis.
    ...(redis ? { adapter: createAdapter(redis.pub, redis.sub) } : {}),
  });

  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    const cookie = readCookie(socket.request.headers.cookie, SESSION_COOKIE);
    const credential = typeof token === 'string' && token.length > 0 ? token : cookie;
    if (!credential) return next(new Error('unauthorized'));
    authenticate(credential, credential === cookie).then(
      (auth) => {
        if (!auth) return next(new Error('unauthorized'));
        socket.data.auth = auth;
        next();
      },
      (err: unknown) => {
        ctx.log.warn({ err }, 'socket handshake failed');
        next(new Error('unavailable'));
      },
    );
  });

  // Presence lives in Redis with several nodes; announcements reach the tenant room on every node.
  const presence = new PresenceHub(
    redis ? new RedisPresenceStore(redis.client) : new MemoryPresenceStore(),
    (tenantId, list) => io.to(rooms.tenant(tenantId)).emit('presence', list),
    ctx.config.nodeId,
    ctx.log.child({ module: 'presence' }),
  );
  presence.start();
  const customers = new CustomerService(ctx);
  const ok: PresenceOk = { ok: true };

  io.on('connection', (socket) => {
    const { auth } = socket.data;
    void socket.join(rooms.tenant(auth.tenantId));
    if (auth.userId) void socket.join(rooms.user(auth.userId));
    if (auth.sessionHash) void socket.join(rooms.session(auth.sessionHash));
    if (auth.apiKeyId) void socket.join(rooms.apiKey(auth.apiKeyId));

    socket.on(
      'sync',
      acked(ctx, socket, async (req: unknown) => {
        const { since } = parseInput(syncRequest, req);
        return ctx.changes.since(auth.tenantId, since);
      }),
    );

    // Presence: a record is joined only after it is found in the socket's own tenant.
    const viewer = { userId: auth.actor.id ?? socket.id, name: auth.actor.name ?? 'API key' };
    socket.on(
      'presence.join',
      acked(ctx, socket, async (req: unknown) => {
        const ref = { tenantId: auth.tenantId, ...parseInput(presenceJoinRequest, req) };
        await customers.get(auth.tenantId, ref.id);
        await presence.join(socket, viewer, ref);
        return ok;
      }),
    );
    socket.on(
      'presence.leave',
      acked(ctx, socket, async (req: unknown) => {
        const ref = { tenantId: auth.tenantId, ...parseInput(presenceLeaveRequest, req) };
        // leaving a record not viewed is fine, but only for a record of the tenant
        if (!(await presence.leave(socket, ref))) await customers.get(auth.tenantId, ref.id);
        return ok;
      }),
    );
    socket.on(
      'presence.focus',
      acked(ctx, socket, async (req: unknown) => {
        const { field, ...target } = parseInput(presenceFocusRequest, req);
        const ref = { tenantId: auth.tenantId, ...target };
        if (await presence.focus(socket, ref, field)) return ok;
        await customers.get(auth.tenantId, ref.id);
        throw conflict('join the record (presence.join) before focusing a field');
      }),
    );
    socket.on('disconnect', () => void presence.disconnect(socket.id));
    // A new socket learns who is already where (lists show viewers without waiting for a change).
    presence.snapshot(auth.tenantId).then(
      (lists) => lists.forEach((list) => socket.emit('presence', list)),
      (err: unknown) => ctx.log.warn({ err, socket: socket.id }, 'presence snapshot skipped'),
    );
  });

  ctx.changes.onEmit((tenantId, event, change) => {
    // The event map types each payload; here the pair arrives already matched.
    const room = io.to(rooms.tenant(tenantId));
    (room.emit as (event: string, payload: unknown) => boolean).call(room, event, change);
  });

  // One timer per node: each tenant with sockets here hears its latest seq, so
  // an idle client notices a gap and a silent one knows the link is stale.
  const heartbeat = setInterval(() => {
    for (const room of io.of('/').adapter.rooms.keys()) {
      if (!room.startsWith('tenant:')) continue;
      const tenantId = room.slice('tenant:'.length);
      ctx.changes.latestSeq(tenantId).then(
        (seq) => io.local.to(room).emit('heartbeat', { seq }),
        (err: unknown) => ctx.log.warn({ err, tenantId }, 'heartbeat skipped'),
      );
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const revoker: SocketRevoker = {
    endSockets(kind, id) {
      const room = kind === 'user' ? rooms.user(id) : kind === 'session' ? rooms.session(id) : rooms.apiKey(id);
      io.in(room).disconnectSockets(true);
    },
  };

  return {
    io,
    revoker,
    async close() {
      clearInterval(heartbeat);
      await presence.close();
      await io.close();
    },
  };
}
