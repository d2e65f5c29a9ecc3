import type { ApiKey, CreatedApiKey, Role } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { newApiKey } from '../../crypto/tokens.ts';
import { paginate } from '../../db/paginate.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { notFound } from '../../http/errors.ts';
import type { ApiKeyDoc } from './model.ts';

export function presentApiKey(doc: ApiKeyDoc): ApiKey {
  return {
    id: doc._id,
    name: doc.name,
    role: doc.role,
    prefix: doc.prefix,
    createdAt: doc.createdAt.toISOString(),
    lastUsedAt: doc.lastUsedAt?.toISOString() ?? null,
    expiresAt: doc.expiresAt?.toISOString() ?? null,
  };
}

export class ApiKeyService {
  constructor(private readonly ctx: AppContext) {}

  private scope(tenantId: string) {
    return tenantScope(this.ctx.models.apiKeys, tenantId);
  }

  list(tenantId: string, page: { limit: number; cursor?: string | undefined }) {
    return paginate(this.scope(tenantId), {}, page, presentApiKey);
  }

  /** Creates a key; the key itself is in this answer only, the database keeps its hash. */
  async create(tenantId: string, input: { name: string; role: Role; expiresAt?: string | undefined }, createdBy: string | null): Promise<CreatedApiKey> {
    const { id, key, prefix, hash } = newApiKey();
    const doc = await this.scope(tenantId).create({
      _id: id,
      name: input.name,
      role: input.role,
      prefix,
      hash,
      createdBy,
      createdAt: new Date(),
      lastUsedAt: null,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    });
    return { ...presentApiKey(doc), key };
  }

  async delete(tenantId: string, id: string) {
    const res = await this.scope(tenantId).deleteOne({ _id: id });
    if (res.deletedCount === 0) throw notFound('API key');
    this.ctx.sockets.endSockets('apiKey', id);
  }
}
