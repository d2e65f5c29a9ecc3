import { timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { roleAtLeast, type Role } from '@callboard/shared';
import type { AuthContext } from './auth-context.ts';
import { AppError, forbidden, notFound, unauthorized } from './errors.ts';
import { parseInput } from './validate.ts';
import { readCookie } from './cookies.ts';

/** Who may call a route: anyone, the operator (ADMIN_TOKEN), or a tenant role and those above it. */
export type Access = 'public' | 'operator' | Role;

type Method = 'get' | 'post' | 'patch' | 'delete';
const empty = z.strictObject({});

export interface RouteInput<A extends Access, P, Q, B> {
  params: P;
  query: Q;
  body: B;
  auth: A extends Role ? AuthContext : null;
  req: Request;
  res: Response;
}

export interface RouteDef<A extends Access = Access, P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: Method;
  path: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** status of a successful answer with a body; a handler returning undefined answers 204 */
  status?: number;
  summary?: string;
  handle(input: RouteInput<A, z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

/** Declares a route with its access, schemas and handler; inputs are typed from the schemas. */
export function route<A extends Access, P extends z.ZodType = typeof empty, Q extends z.ZodType = typeof empty, B extends z.ZodType = typeof empty>(
  def: RouteDef<A, P, Q, B>,
): RouteDef {
  return def as unknown as RouteDef;
}

export interface Authenticator {
  authenticate(credential: string, viaCookie: boolean): Promise<AuthContext | null>;
  adminToken: string | undefined;
}

export { SESSION_COOKIE } from './cookies.ts';
import { SESSION_COOKIE } from './cookies.ts';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearer(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

function sameSecret(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function authorize(access: Access, req: Request, authn: Authenticator): Promise<AuthContext | null> {
  if (access === 'public') return null;
  if (access === 'operator') {
    if (!authn.adminToken) throw notFound('route');
    const token = bearer(req);
    if (!token || !sameSecret(token, authn.adminToken)) throw unauthorized('operator token required');
    return null;
  }
  const header = bearer(req);
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  const credential = header ?? cookie;
  if (!credential) throw unauthorized();
  const auth = await authn.authenticate(credential, header === null);
  if (!auth) throw unauthorized('invalid or expired credentials');
  if (auth.viaCookie && !SAFE_METHODS.has(req.method) && req.get('x-requested-with') !== 'callboard') {
    throw forbidden('cookie-authenticated changes need the header X-Requested-With: callboard');
  }
  if (!roleAtLeast(auth.role, access)) throw forbidden();
  return auth;
}

function hasBody(req: Request) {
  return Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
}

/** Mounts the route table: every route authorises, validates, then delegates to its handler. */
export function mountRoutes(routes: RouteDef[], authn: Authenticator): Router {
  const router = Router();
  for (const def of routes) {
    router[def.method](def.path, async (req: Request, res: Response) => {
      const auth = await authorize(def.access, req, authn);
      // A malformed id names no record: 404, like an unknown one.
      const params = (def.params ?? empty).safeParse(req.params);
      if (!params.success) throw notFound();
      const query = parseInput(def.query ?? empty, { ...req.query });
      let body: unknown = undefined;
      if (def.body) {
        if (hasBody(req) && !req.is('application/json')) {
          throw new AppError('unsupported_media_type', 'send the body as application/json');
        }
        body = parseInput(def.body, req.body ?? {});
      }
      const out = await def.handle({ params: params.data, query, body, auth: auth as never, req, res });
      if (res.headersSent) return;
      if (out === undefined) res.status(204).end();
      else res.status(def.status ?? 200).json(out);
    });
  }
  return router;
}
