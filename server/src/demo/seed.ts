import { randomBytes } from 'node:crypto';
import type { Locale, Role } from '@callboard/shared';
import type { AppContext } from '../context.ts';
import { newId } from '../db/ids.ts';
import { isDuplicateKey } from '../db/platform-models.ts';
import { tenantScope } from '../db/tenant-scope.ts';
import { TenantService } from '../features/tenants/service.ts';
import { UserService } from '../features/users/service.ts';
import { phoneClaim } from '../features/customers/claims.ts';
import type { CustomerDoc } from '../features/customers/model.ts';
import { demoTenants } from './data.ts';
import { seedHistory } from './history.ts';

export interface DemoLogin {
  tenant: string;
  role: Role;
  name: string;
  email: string;
  password: string;
}

const SEEDED = 'demo-workspace-seeded';
const demoPassword = () => `demo-${randomBytes(9).toString('base64url')}`;

/**
 * On the first start against an empty database: two tenants (Arabic-first Riyadh,
 * and English), a user of each role and some customers. Returns the logins, which
 * exist nowhere else in clear; null when the workspace was made before.
 */
export async function seedDemoWorkspace(ctx: AppContext): Promise<DemoLogin[] | null> {
  const { models } = ctx;
  if ((await models.tenants.estimatedDocumentCount().exec()) > 0) return null;
  try {
    await models.platform.create({ _id: SEEDED, value: new Date().toISOString() });
  } catch (err) {
    if (isDuplicateKey(err)) return null; // another node is seeding
    throw err;
  }
  const logins: DemoLogin[] = [];
  const tenants = new TenantService(ctx);
  const users = new UserService(ctx);
  for (const t of demoTenants) {
    const [admin, ...others] = t.users;
    const adminPassword = demoPassword();
    const created = await tenants.provision({
      name: t.name,
      slug: t.slug,
      locale: t.locale,
      timeZone: t.timeZone,
      admin: { email: admin!.email, name: admin!.name, password: adminPassword },
    });
    logins.push({ tenant: t.slug, role: 'admin', name: admin!.name, email: admin!.email, password: adminPassword });
    for (const u of others) {
      const password = demoPassword();
      await users.create(created.tenant.id, { ...u, password }, null);
      logins.push({ tenant: t.slug, role: u.role, name: u.name, email: u.email, password });
    }
    const customerIds = await seedCustomers(ctx, created.tenant.id, t.locale, t.customers);
    await seedHistory(ctx, created.tenant.id, t.locale, customerIds);
  }
  return logins;
}

async function seedCustomers(
  ctx: AppContext,
  tenantId: string,
  language: Locale,
  customers: readonly { name: string | null; phone: string; email?: string; stage: CustomerDoc['stage']; tags?: string[] }[],
) {
  const scope = tenantScope(ctx.models.customers, tenantId);
  const ids: string[] = [];
  for (const c of customers) {
    const id = newId();
    const now = new Date();
    await ctx.models.claims.create({ _id: phoneClaim(tenantId, c.phone), tenantId, ownerId: id, createdAt: now });
    await scope.create({
      _id: id,
      name: c.name,
      phone: c.phone,
      email: c.email ?? null,
      search: [c.name, c.phone, c.email].filter((v): v is string => !!v).map((v) => v.toLowerCase()),
      language,
      stage: c.stage,
      tags: c.tags ?? [],
      consents: { marketing: true, recording: true, whatsapp: false },
      notes: null,
      version: 1,
      fieldVersions: {},
      createdAt: now,
      updatedAt: now,
    });
    ids.push(id);
  }
  return ids;
}

export function formatDemoLogins(logins: DemoLogin[], url: string): string {
  const lines = [
    '',
    'Demo workspace created. These logins are shown once; keep them:',
    ...logins.map((l) => `  ${l.tenant.padEnd(16)} ${l.role.padEnd(11)} ${l.email.padEnd(34)} ${l.password}`),
    `Open ${url} and sign in.`,
    '',
  ];
  return lines.join('\n');
}
