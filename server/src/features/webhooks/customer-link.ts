import { createCustomerRequest, idSchema, phoneSchema, type Actor, type Locale } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { AppError } from '../../http/errors.ts';
import { phoneClaim } from '../customers/claims.ts';
import type { CustomerDoc } from '../customers/model.ts';
import { CustomerService } from '../customers/service.ts';

/** A provider's number as E.164, or null when it is not a phone number (a SIP URI, `client:…`, empty). */
export function e164(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const parsed = phoneSchema.safeParse(raw.trim());
  return parsed.success ? parsed.data : null;
}

/** The tenant's customer with this id; another tenant's id or a malformed one names no one. */
export async function tenantCustomer(ctx: AppContext, tenantId: string, id: string | null | undefined): Promise<CustomerDoc | null> {
  if (!id || !idSchema.safeParse(id).success) return null;
  return tenantScope(ctx.models.customers, tenantId).findById(id);
}

/** The customer holding this phone: the phone claim, then the customer, both by `_id`. */
export async function customerByPhone(ctx: AppContext, tenantId: string, raw: string | null | undefined): Promise<CustomerDoc | null> {
  const phone = e164(raw);
  if (!phone) return null;
  const claim = await ctx.models.claims.findById(phoneClaim(tenantId, phone)).lean().exec();
  if (!claim || claim.tenantId !== tenantId) return null;
  return tenantScope(ctx.models.customers, tenantId).findById(claim.ownerId);
}

/**
 * The customer with this phone, created when none has it. The name is unknown, so
 * the display name is the formatted number. Two deliveries racing to create the
 * same number meet at the phone claim: the loser's 409 finds the winner's customer.
 */
export async function findOrCreateCustomer(
  ctx: AppContext,
  tenantId: string,
  raw: string | null | undefined,
  language: Locale | null,
  actor: Actor,
): Promise<CustomerDoc | null> {
  const phone = e164(raw);
  if (!phone) return null;
  const existing = await customerByPhone(ctx, tenantId, phone);
  if (existing) return existing;
  const tenant = await ctx.models.tenants.findById(tenantId).lean().exec();
  try {
    const created = await new CustomerService(ctx).create(tenantId, createCustomerRequest.parse({ phone }), actor, language ?? tenant?.locale ?? 'en');
    return tenantScope(ctx.models.customers, tenantId).findById(created.id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict') return customerByPhone(ctx, tenantId, phone);
    throw err;
  }
}
