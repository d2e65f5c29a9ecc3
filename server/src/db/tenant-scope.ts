import type { Model, FilterQuery, UpdateQuery } from 'mongoose';
import { atomically } from './doc-lock.ts';

/** Documents every tenant-owned collection has. */
export interface TenantOwned {
  _id: string;
  tenantId: string;
}

export class MissingTenantError extends Error {
  constructor() {
    super('refused: a query on tenant-owned data without a tenant');
  }
}

/**
 * The only way to query a tenant-owned collection: every filter gets the tenant
 * id, every created document is stamped with it. There is no escape hatch.
 */
export function tenantScope<T extends TenantOwned>(model: Model<T>, tenantId: string) {
  if (typeof tenantId !== 'string' || tenantId.length === 0) throw new MissingTenantError();
  const scoped = (filter: FilterQuery<T> = {}) => ({ ...filter, tenantId }) as FilterQuery<T>;
  /** Updates of one document by `_id` are serialised (see doc-lock.ts); others run as they are. */
  const guarded = <R>(filter: FilterQuery<T>, op: () => Promise<R>) =>
    typeof filter._id === 'string' ? atomically(model, filter._id, op) : op();
  return {
    tenantId,
    findById: (id: string) => model.findOne(scoped({ _id: id } as FilterQuery<T>)).lean<T>().exec(),
    findOne: (filter: FilterQuery<T>) => model.findOne(scoped(filter)).lean<T>().exec(),
    find: (filter: FilterQuery<T>) => model.find(scoped(filter)).lean<T[]>(),
    count: (filter: FilterQuery<T> = {}) => model.countDocuments(scoped(filter)).exec(),
    create: async (doc: Omit<T, 'tenantId'>) => (await model.create({ ...doc, tenantId } as T)).toObject() as T,
    updateOne: (filter: FilterQuery<T>, update: UpdateQuery<T>) =>
      guarded(filter, () => model.updateOne(scoped(filter), update).exec()),
    findOneAndUpdate: (filter: FilterQuery<T>, update: UpdateQuery<T>) =>
      guarded(filter, () => model.findOneAndUpdate(scoped(filter), update, { new: true }).lean<T>().exec()),
    deleteOne: (filter: FilterQuery<T>) => model.deleteOne(scoped(filter)).exec(),
    deleteMany: (filter: FilterQuery<T>) => model.deleteMany(scoped(filter)).exec(),
  };
}

export type TenantScope<T extends TenantOwned> = ReturnType<typeof tenantScope<T>>;
