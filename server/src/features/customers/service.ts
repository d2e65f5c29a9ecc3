import {
  displayName,
  type Actor,
  type CreateCustomerRequest,
  type Customer,
  type PatchCustomerRequest,
} from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { EditableRecords } from '../../db/editable.ts';
import { newId } from '../../db/ids.ts';
import type { PageRequest } from '../../db/paginate.ts';
import { isDuplicateKey } from '../../db/platform-models.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { conflict, validationFailed } from '../../http/errors.ts';
import { phoneClaim } from './claims.ts';
import type { CustomerDoc } from './model.ts';

export const customerEditableFields = ['name', 'phone', 'email', 'language', 'stage', 'tags', 'consents', 'notes'] as const;

export function presentCustomer(doc: CustomerDoc): Customer {
  return {
    id: doc._id,
    name: doc.name,
    displayName: displayName(doc),
    phone: doc.phone,
    email: doc.email,
    language: doc.language,
    stage: doc.stage,
    tags: doc.tags,
    consents: doc.consents,
    notes: doc.notes,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** Lower-cased prefixes the `q` search matches: the name and each of its words, the phone with and without +, the email. */
export function searchKeys(c: { name: string | null; phone: string | null; email: string | null }): string[] {
  const keys = new Set<string>();
  if (c.name) {
    const name = c.name.toLowerCase();
    keys.add(name);
    for (const word of name.split(/\s+/)) if (word) keys.add(word);
  }
  if (c.phone) {
    keys.add(c.phone);
    keys.add(c.phone.slice(1));
  }
  if (c.email) keys.add(c.email.toLowerCase());
  return [...keys];
}

/**
 * The customer a request body refers to. An unknown id and another tenant's
 * customer answer alike (400 on the field), so other tenants' ids cannot be probed.
 */
export async function requireCustomer(ctx: AppContext, tenantId: string, id: string, path = 'customerId'): Promise<CustomerDoc> {
  const doc = await tenantScope(ctx.models.customers, tenantId).findById(id);
  if (!doc) throw validationFailed([{ path, message: 'no such customer' }]);
  return doc;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class CustomerService {
  readonly records: EditableRecords<CustomerDoc, Customer>;

  constructor(private readonly ctx: AppContext) {
    this.records = new EditableRecords(ctx, {
      model: ctx.models.customers,
      recordType: 'customer',
      what: 'customer',
      created: 'customer.created',
      updated: 'customer.updated',
      deleted: 'customer.deleted',
      fields: customerEditableFields,
      present: presentCustomer,
      customerOf: (d) => d._id,
    });
  }

  async get(tenantId: string, id: string) {
    return this.records.get(tenantId, id);
  }

  list(tenantId: string, query: PageRequest & { q?: string | undefined; stage?: string | undefined }) {
    const filter: Record<string, unknown> = {};
    if (query.stage) filter.stage = query.stage;
    const q = query.q?.trim().toLowerCase();
    if (q) filter.search = { $regex: `^${escapeRegex(q)}` };
    return this.records.list(tenantId, filter, query);
  }

  /** Claims a phone for a customer; a phone another customer of the tenant holds is a 409. */
  private async claimPhone(tenantId: string, phone: string, customerId: string) {
    try {
      await this.ctx.models.claims.create({ _id: phoneClaim(tenantId, phone), tenantId, ownerId: customerId, createdAt: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const holder = await this.ctx.models.claims.findById(phoneClaim(tenantId, phone)).lean().exec();
      if (holder?.ownerId === customerId) return;
      throw conflict('another customer has this phone number', [{ path: 'phone', message: 'already used by another customer' }]);
    }
  }

  private releasePhone(tenantId: string, phone: string) {
    return this.ctx.models.claims.deleteOne({ _id: phoneClaim(tenantId, phone), tenantId }).exec();
  }

  async create(tenantId: string, req: CreateCustomerRequest, actor: Actor, defaultLanguage: 'ar' | 'en'): Promise<Customer> {
    const id = newId();
    const now = new Date();
    const fields = {
      name: req.name ?? null,
      phone: req.phone ?? null,
      email: req.email ?? null,
    };
    if (fields.phone) await this.claimPhone(tenantId, fields.phone, id);
    try {
      return await this.records.create(
        tenantId,
        {
          _id: id,
          ...fields,
          search: searchKeys(fields),
          language: req.language ?? defaultLanguage,
          stage: req.stage,
          tags: req.tags,
          consents: req.consents,
          notes: req.notes ?? null,
          version: 1,
          fieldVersions: {},
          createdAt: now,
          updatedAt: now,
        },
        actor,
      );
    } catch (err) {
      if (fields.phone) await this.releasePhone(tenantId, fields.phone);
      throw err;
    }
  }

  async patch(tenantId: string, id: string, req: PatchCustomerRequest, actor: Actor): Promise<Customer> {
    const newPhone = req.set.phone;
    if (newPhone) await this.claimPhone(tenantId, newPhone, id);
    try {
      const { record, before, after } = await this.records.patch(tenantId, id, req, actor, {
        toStored: (set, current) => {
          const next = { name: current.name, phone: current.phone, email: current.email, ...set } as CustomerDoc;
          return { ...set, search: searchKeys(next) };
        },
      });
      if (before.phone && before.phone !== after.phone) await this.releasePhone(tenantId, before.phone);
      return record;
    } catch (err) {
      if (newPhone) {
        const current = await this.records.scope(tenantId).findById(id);
        if (current?.phone !== newPhone) await this.releasePhone(tenantId, newPhone);
      }
      throw err;
    }
  }

  async delete(tenantId: string, id: string, actor: Actor) {
    const doc = await this.records.delete(tenantId, id, actor);
    if (doc.phone) await this.releasePhone(tenantId, doc.phone);
  }
}
