import type { Actor, Role, User } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { hashPassword } from '../../crypto/passwords.ts';
import { newId } from '../../db/ids.ts';
import { paginate } from '../../db/paginate.ts';
import { isDuplicateKey } from '../../db/platform-models.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { patchVersioned } from '../../db/versioned.ts';
import { conflict, forbidden, notFound } from '../../http/errors.ts';
import type { UserDoc } from './model.ts';

export function presentUser(doc: UserDoc): User {
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name,
    role: doc.role,
    disabled: doc.disabled,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** Emails are unique across the platform (login takes no tenant), kept so by a claim. */
export const emailClaim = (email: string) => `email:${email}`;

export class UserService {
  constructor(private readonly ctx: AppContext) {}

  private scope(tenantId: string) {
    return tenantScope(this.ctx.models.users, tenantId);
  }

  list(tenantId: string, page: { limit: number; cursor?: string | undefined }) {
    return paginate(this.scope(tenantId), {}, page, presentUser);
  }

  async get(tenantId: string, id: string): Promise<UserDoc> {
    const doc = await this.scope(tenantId).findById(id);
    if (!doc) throw notFound('user');
    return doc;
  }

  async create(
    tenantId: string,
    input: { email: string; name: string; role: Role; password: string },
    actor: Actor | null,
    emailPath = 'email',
  ): Promise<User> {
    const { models, changes } = this.ctx;
    const id = newId();
    const now = new Date();
    try {
      await models.claims.create({ _id: emailClaim(input.email), tenantId, ownerId: id, createdAt: now });
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict('this email is already used', [{ path: emailPath, message: 'already used' }]);
      throw err;
    }
    try {
      const doc = await this.scope(tenantId).create({
        _id: id,
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash: await hashPassword(input.password),
        disabled: false,
        version: 1,
        fieldVersions: {},
        createdAt: now,
        updatedAt: now,
      });
      const user = presentUser(doc);
      if (actor) await changes.publish(tenantId, 'user.created', user, actor);
      return user;
    } catch (err) {
      await models.claims.deleteOne({ _id: emailClaim(input.email) }).exec();
      throw err;
    }
  }

  async patch(
    tenantId: string,
    id: string,
    req: { version: number; set: { name?: string; role?: Role; disabled?: boolean } },
    actor: Actor,
    actingUserId: string | null,
  ): Promise<User> {
    if (id === actingUserId && (req.set.role !== undefined || req.set.disabled === true)) {
      throw forbidden('you cannot change your own role or disable yourself');
    }
    const scope = this.scope(tenantId);
    const { after } = await patchVersioned<UserDoc>(
      {
        load: () => scope.findById(id),
        commitIfAt: (version, $set) => scope.findOneAndUpdate({ _id: id, version }, { $set }),
      },
      req.version,
      req.set,
      presentUser,
    );
    // A disabled user's sessions end at once, on every node.
    if (after.disabled) await this.endSessions(tenantId, id);
    const user = presentUser(after);
    await this.ctx.changes.publish(tenantId, 'user.updated', user, actor);
    return user;
  }

  async setPassword(tenantId: string, id: string, password: string) {
    const scope = this.scope(tenantId);
    const res = await scope.updateOne({ _id: id }, { $set: { passwordHash: await hashPassword(password), updatedAt: new Date() } });
    if (res.matchedCount === 0) throw notFound('user');
  }

  async endSessions(tenantId: string, userId: string, exceptSessionHash?: string) {
    const filter = exceptSessionHash ? { userId, _id: { $ne: exceptSessionHash } } : { userId };
    await tenantScope(this.ctx.models.sessions, tenantId).deleteMany(filter);
    this.ctx.sockets.endSockets('user', userId);
  }
}
