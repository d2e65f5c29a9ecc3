import type { LoginResponse, MeResponse } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { hashPassword, verifyPassword } from '../../crypto/passwords.ts';
import { hashesEqual, newSessionToken, parseApiKey } from '../../crypto/tokens.ts';
import { sha256 } from '../../db/ids.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import type { AuthContext } from '../../http/auth-context.ts';
import { forbidden, rateLimited, unauthorized, validationFailed } from '../../http/errors.ts';
import type { TenantDoc } from '../tenants/model.ts';
import { tenantSummary } from '../tenants/service.ts';
import { emailClaim, UserService } from '../users/service.ts';

export const SESSION_TTL_SEC = 14 * 24 * 3600;
/** Failed logins allowed per email, and (more, for shared offices) per address, in a window. */
const LOGIN_FAILURES = { perEmail: 10, perAddress: 100, windowSec: 15 * 60 };
/** lastUsedAt is written at most this often, so using a key is not a write per request. */
const KEY_TOUCH_MS = 60_000;

const badLogin = () => unauthorized('wrong email or password');

export class AuthService {
  constructor(private readonly ctx: AppContext) {}

  /** Same answer for an unknown email and a wrong password; failures are throttled per email and per address. */
  async login(email: string, password: string, ip: string): Promise<LoginResponse> {
    const { models, limiter } = this.ctx;
    const limits: [string, number][] = [
      [`login:email:${email}`, LOGIN_FAILURES.perEmail],
      [`login:ip:${ip}`, LOGIN_FAILURES.perAddress],
    ];
    const keys = limits.map(([key]) => key);
    for (const [key, limit] of limits) {
      const { remaining, retryAfterSec } = await limiter.peek(key, limit, LOGIN_FAILURES.windowSec);
      if (remaining === 0) throw rateLimited(retryAfterSec);
    }
    const claim = await models.claims.findById(emailClaim(email)).lean().exec();
    const user = claim ? await tenantScope(models.users, claim.tenantId).findById(claim.ownerId) : null;
    const ok = await verifyPassword(password, user?.passwordHash ?? null);
    if (!user || !ok || user.disabled) {
      for (const key of keys) await limiter.hit(key, LOGIN_FAILURES.windowSec);
      throw badLogin();
    }
    await limiter.reset(keys[0]!);
    const tenant = await models.tenants.findById(user.tenantId).lean<TenantDoc>().exec();
    if (!tenant) throw badLogin();
    const { token, hash } = newSessionToken();
    const now = new Date();
    await models.sessions.create({
      _id: hash,
      tenantId: user.tenantId,
      userId: user._id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_SEC * 1000),
    });
    return {
      token,
      user: { id: user._id, email: user.email, name: user.name, role: user.role },
      tenant: tenantSummary(tenant),
    };
  }

  async logout(auth: AuthContext) {
    if (!auth.sessionHash) return;
    await tenantScope(this.ctx.models.sessions, auth.tenantId).deleteOne({ _id: auth.sessionHash });
    this.ctx.sockets.endSockets('session', auth.sessionHash);
  }

  async me(auth: AuthContext): Promise<MeResponse> {
    const tenant = await this.ctx.models.tenants.findById(auth.tenantId).lean<TenantDoc>().exec();
    if (!tenant) throw unauthorized();
    if (auth.userId) {
      const user = await tenantScope(this.ctx.models.users, auth.tenantId).findById(auth.userId);
      if (!user) throw unauthorized();
      return { user: { id: user._id, email: user.email, name: user.name, role: user.role }, tenant: tenantSummary(tenant) };
    }
    // An API key answers as itself, so integrations can check what they hold.
    return {
      user: { id: auth.apiKeyId!, email: '', name: auth.actor.name ?? 'API key', role: auth.role },
      tenant: tenantSummary(tenant),
    };
  }

  async changePassword(auth: AuthContext, current: string, password: string) {
    if (!auth.userId) throw forbidden('only a signed-in user has a password');
    const users = tenantScope(this.ctx.models.users, auth.tenantId);
    const user = await users.findById(auth.userId);
    if (!user || !(await verifyPassword(current, user.passwordHash))) {
      throw validationFailed([{ path: 'current', message: 'is not your current password' }]);
    }
    await users.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(password), updatedAt: new Date() } });
    // Other sessions of this user end; this one goes on.
    await new UserService(this.ctx).endSessions(auth.tenantId, user._id, auth.sessionHash ?? undefined);
  }

  /** Resolves a session token or API key to who is calling, checking the database every time. */
  async authenticate(credential: string, viaCookie: boolean): Promise<AuthContext | null> {
    const { models } = this.ctx;
    if (credential.startsWith('cbk_')) {
      const parsed = parseApiKey(credential);
      if (!parsed) return null;
      const key = await models.apiKeys.findById(parsed.id).lean().exec();
      if (!key || !hashesEqual(key.hash, sha256(credential))) return null;
      const now = Date.now();
      if (key.expiresAt && key.expiresAt.getTime() <= now) return null;
      if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > KEY_TOUCH_MS) {
        await tenantScope(models.apiKeys, key.tenantId).updateOne({ _id: key._id }, { $set: { lastUsedAt: new Date(now) } });
      }
      return {
        tenantId: key.tenantId,
        role: key.role,
        actor: { type: 'apiKey', id: key._id, name: key.name },
        userId: null,
        sessionHash: null,
        apiKeyId: key._id,
        viaCookie,
      };
    }
    if (!credential.startsWith('cbs_')) return null;
    const hash = sha256(credential);
    const session = await models.sessions.findById(hash).lean().exec();
    if (!session || session.expiresAt.getTime() <= Date.now()) return null;
    const user = await tenantScope(models.users, session.tenantId).findById(session.userId);
    if (!user || user.disabled) return null;
    return {
      tenantId: session.tenantId,
      role: user.role,
      actor: { type: 'user', id: user._id, name: user.name },
      userId: user._id,
      sessionHash: hash,
      apiKeyId: null,
      viaCookie,
    };
  }
}
