import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.ts';
import type { AppContext, SocketRevoker } from './context.ts';
import { createLogger, type Logger } from './logger.ts';
import { openDatabase } from './db/mongo.ts';
import { createModels } from './db/models.ts';
import { ChangeLog } from './changes/publish.ts';
import { startChangeJobs, type ChangeJobOptions } from './changes/jobs.ts';
import { loadSecretBox } from './crypto/secrets-key.ts';
import { MemoryRateLimiter, RedisRateLimiter } from './http/rate-limit.ts';
import { connectRedis, type RedisLink } from './redis.ts';
import { shareDocLocks } from './db/doc-lock.ts';
import { redisDocLock } from './db/doc-lock-redis.ts';
import { mountRoutes } from './http/routes.ts';
import { apiDocsPage, openApiDocument } from './http/openapi.ts';
import { errorMiddleware, notFoundHandler } from './http/error-middleware.ts';
import { createRealtime, type CallboardServer } from './realtime/socket.ts';
import { AuthService } from './features/auth/service.ts';
import { routeTable } from './route-table.ts';
import { webhookRouter } from './features/webhooks/router.ts';
import { startWebhookJobs } from './features/webhooks/deliveries.ts';
import { seedDemoWorkspace, type DemoLogin } from './demo/seed.ts';

const WEB_BUILD = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/build');
const REQUEST_ID = /^[\w.-]{1,64}$/;

export interface RunningServer {
  url: string;
  port: number;
  ctx: AppContext;
  io: CallboardServer;
  /** logins of the demo workspace when this start created it */
  demoLogins: DemoLogin[] | null;
  close(): Promise<void>;
}

function buildHttpApp(ctx: AppContext, auth: AuthService, redis: RedisLink | null): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.use(
    pinoHttp({
      logger: ctx.log,
      genReqId(req, res) {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );

  app.get('/healthz', async (_req, res) => {
    const [up, redisUp] = await Promise.all([ctx.db.ping(), redis?.ping()]);
    const redisState = redis ? (redisUp ? 'up' : 'down') : 'off';
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'degraded', db: up ? 'up' : 'down', redis: redisState, node: ctx.config.nodeId });
  });

  // Webhooks read their raw bodies themselves (signatures are over the exact bytes): before any parser.
  app.use('/webhooks', webhookRouter(ctx));

  const routes = routeTable(ctx, auth);
  const apiDoc = openApiDocument(routes, ctx.config.publicUrl);
  app.get('/api/openapi.json', (_req, res) => res.json(apiDoc));
  app.get('/api/docs', (_req, res) => res.type('html').send(apiDocsPage(apiDoc)));
  app.use('/api', express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  app.use('/api', mountRoutes(routes, { authenticate: (c, v) => auth.authenticate(c, v), adminToken: ctx.config.adminToken }));
  app.use('/api', notFoundHandler);

  if (existsSync(join(WEB_BUILD, 'index.html'))) {
    app.use(express.static(WEB_BUILD, { index: false, maxAge: '1h', immutable: false }));
    // The dashboard is a single-page app: every other GET is its shell.
    app.get('/{*path}', (req, res, next) => {
      if (req.path.startsWith('/webhooks/') || req.path.startsWith('/socket.io')) return next();
      res.set('Cache-Control', 'no-cache').sendFile(join(WEB_BUILD, 'index.html'));
    });
  }
  app.use(notFoundHandler);
  app.use(errorMiddleware);
  return app;
}

/** Starts one Callboard node: database, HTTP API, dashboard and sockets on one port. */
export async function startServer(
  config: Config,
  log: Logger = createLogger(config.logLevel, config.nodeId),
  /** tests shorten the event log jobs' intervals here */
  options: { changeJobs?: ChangeJobOptions } = {},
): Promise<RunningServer> {
  const db = await openDatabase(config, log);
  const models = createModels(db.conn);
  await Promise.all(Object.values(models).map((m) => m.init()));
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, log.child({ module: 'redis' })) : null;
  if (redis && db.isFerretDb) shareDocLocks(db.conn, redisDocLock(redis.client));
  const sockets: SocketRevoker = { endSockets: (kind, id) => realtime.revoker.endSockets(kind, id) };
  const ctx: AppContext = {
    config,
    log,
    db,
    models,
    changes: new ChangeLog(models, log.child({ module: 'changes' })),
    secrets: await loadSecretBox(config, models, log),
    limiter: redis ? new RedisRateLimiter(redis.client) : new MemoryRateLimiter(),
    sockets,
  };
  const auth = new AuthService(ctx);
  const httpServer: HttpServer = createServer(buildHttpApp(ctx, auth, redis));
  const realtime = createRealtime(ctx, httpServer, (c, v) => auth.authenticate(c, v), redis);

  await new Promise<void>((resolveListen, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolveListen());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const changeJobs = startChangeJobs(ctx, options.changeJobs);
  const webhookJobs = startWebhookJobs(ctx);
  const demoLogins = config.demo ? await seedDemoWorkspace(ctx) : null;
  log.info({ port, host: config.host }, 'callboard listening');

  let closing: Promise<void> | null = null;
  return {
    url: `http://${config.host}:${port}`,
    port,
    ctx,
    io: realtime.io,
    demoLogins,
    close() {
      // Stop the event log jobs, stop accepting, let in-flight requests finish, close sockets, then the database.
      closing ??= (async () => {
        await changeJobs.stop();
        await webhookJobs.stop();
        await realtime.close();
        await new Promise<void>((r) => httpServer.close(() => r()));
        await db.close();
        await redis?.close();
      })();
      return closing;
    },
  };
}
