import {
  defaultTenantSettings,
  type Actor,
  type PatchTenantRequest,
  type ProvisionTenantRequest,
  type TenantSettings,
  type TenantSummary,
} from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { updateByIdWhere } from '../../db/single-doc.ts';
import { newId } from '../../db/ids.ts';
import { isDuplicateKey } from '../../db/platform-models.ts';
import { patchVersioned } from '../../db/versioned.ts';
import { conflict, notFound } from '../../http/errors.ts';
import { ApiKeyService } from '../api-keys/service.ts';
import { UserService } from '../users/service.ts';
import type { TenantDoc } from './model.ts';

export function presentTenant(doc: TenantDoc): TenantSettings {
  return {
    id: doc._id,
    slug: doc.slug,
    name: doc.name,
    timeZone: doc.timeZone,
    locale: doc.locale,
    callingHours: doc.callingHours,
    limits: doc.limits,
    telephony: {
      provider: doc.telephony.provider,
      accountSid: doc.telephony.accountSid,
      fromNumber: doc.telephony.fromNumber,
      authTokenSet: doc.telephony.authTokenSealed !== null,
    },
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export const tenantSummary = (doc: TenantDoc): TenantSummary => ({
  id: doc._id,
  slug: doc.slug,
  name: doc.name,
  locale: doc.locale,
  timeZone: doc.timeZone,
});

const slugClaim = (slug: string) => `slug:${slug}`;

export class TenantService {
  constructor(private readonly ctx: AppContext) {}

  async get(tenantId: string): Promise<TenantDoc> {
    const doc = await this.ctx.models.tenants.findById(tenantId).lean<TenantDoc>().exec();
    if (!doc) throw notFound('tenant');
    return doc;
  }

  async findBySlug(slug: string): Promise<TenantDoc | null> {
    const claim = await this.ctx.models.claims.findById(slugClaim(slug)).lean().exec();
    return claim ? this.ctx.models.tenants.findById(claim.tenantId).lean<TenantDoc>().exec() : null;
  }

  /** Operator provisioning (API.md §3): the tenant, its first admin and an admin API key. */
  async provision(req: ProvisionTenantRequest) {
    const { models } = this.ctx;
    const tenantId = newId();
    const now = new Date();
    try {
      await models.claims.create({ _id: slugClaim(req.slug), tenantId, ownerId: tenantId, createdAt: now });
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`a tenant with slug "${req.slug}" exists`, [{ path: 'slug', message: 'already taken' }]);
      throw err;
    }
    const users = new UserService(this.ctx);
    let admin;
    try {
      admin = await users.create(tenantId, { ...req.admin, role: 'admin' }, null, 'admin.email');
    } catch (err) {
      await models.claims.deleteOne({ _id: slugClaim(req.slug) }).exec();
      throw err;
    }
    const tenant = await models.tenants.create({
      _id: tenantId,
      slug: req.slug,
      name: req.name,
      locale: req.locale ?? 'en',
      timeZone: req.timeZone ?? defaultTenantSettings.timeZone,
      callingHours: structuredClone(defaultTenantSettings.callingHours),
      limits: { ...defaultTenantSettings.limits },
      telephony: { provider: 'simulated', accountSid: null, fromNumber: null, authTokenSealed: null },
      version: 1,
      fieldVersions: {},
      createdAt: now,
      updatedAt: now,
    });
    const apiKey = await new ApiKeyService(this.ctx).create(tenantId, { name: 'Provisioning key', role: 'admin' }, null);
    return {
      tenant: { id: tenant._id, slug: tenant.slug, name: tenant.name },
      admin: { id: admin.id, email: admin.email },
      apiKey: { id: apiKey.id, key: apiKey.key, role: apiKey.role },
    };
  }

  async patch(tenantId: string, req: PatchTenantRequest, actor: Actor): Promise<TenantSettings> {
    const { models, secrets, changes } = this.ctx;
    const { after } = await patchVersioned<TenantDoc>(
      {
        load: () => models.tenants.findById(tenantId).lean<TenantDoc>().exec(),
        commitIfAt: (version, $set) => updateByIdWhere<TenantDoc>(models.tenants, tenantId, { version }, { $set }),
      },
      req.version,
      req.set,
      presentTenant,
      (set) => {
        const { telephony, ...stored } = set as PatchTenantRequest['set'];
        if (!telephony) return stored;
        // Credentials are write-only: sealed at rest, kept unless a new one is given.
        const { authToken, ...visible } = telephony;
        const dotted: Record<string, unknown> = {
          ...stored,
          'telephony.provider': visible.provider,
          'telephony.accountSid': visible.accountSid ?? null,
          'telephony.fromNumber': visible.fromNumber ?? null,
        };
        if (authToken !== undefined) dotted['telephony.authTokenSealed'] = secrets.seal(authToken);
        return dotted;
      },
    );
    const settings = presentTenant(after);
    await changes.publish(tenantId, 'tenant.updated', settings, actor);
    return settings;
  }
}
