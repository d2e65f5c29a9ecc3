import type { Model, FilterQuery, UpdateQuery } from 'mongoose';
import { deleteByIdWhere, findByIdsWhere, findByIdWhere, updateByIdWhere } from './single-doc.ts';

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
  /** The conditions besides `_id` of a filter naming one document, with the tenant added. */
  const beside = (filter: FilterQuery<T>) => {
    const { _id: _ignored, ...rest } = filter as Record<string, unknown>;
    return { ...rest, tenantId };
  };
  const byId = (filter: FilterQuery<T>) => (typeof filter._id === 'string' ? filter._id : null);
  return {
    tenantId,
    findById: (id: string) => findByIdWhere<T>(model, id, { tenantId }),
    findByIds: (ids: string[]) => findByIdsWhere<T>(model, [...new Set(ids)], { tenantId }),
    findOne: (filter: FilterQuery<T>) => model.findOne(scoped(filter)).lean<T>().exec(),
    find: (filter: FilterQuery<T>) => model.find(scoped(filter)).lean<T[]>(),
    count: (filter: FilterQuery<T> = {}) => model.countDocuments(scoped(filter)).exec(),
    create: async (doc: Omit<T, 'tenantId'>) => (await model.create({ ...doc, tenantId } as T)).toObject() as T,
    /** One document by `_id` (with conditions): atomic and served by the primary key on both servers. */
    updateOne: async (filter: FilterQuery<T>, update: UpdateQuery<T>) => {
      const id = byId(filter);
      if (id === null) throw new Error('updateOne names one document by _id');
      const updated = await updateByIdWhere<T>(model, id, beside(filter), update);
      return { matchedCount: updated ? 1 : 0 };
    },
    findOneAndUpdate: (filter: FilterQuery<T>, update: UpdateQuery<T>) => {
      const id = byId(filter);
      if (id === null) throw new Error('findOneAndUpdate names one document by _id');
      return updateByIdWhere<T>(model, id, beside(filter), update);
    },
    deleteOne: async (filter: FilterQuery<T>) => {
      const id = byId(filter);
      if (id === null) throw new Error('deleteOne names one document by _id');
      return { deletedCount: (await deleteByIdWhere(model, id, beside(filter))) ? 1 : 0 };
    },
    deleteMany: (filter: FilterQuery<T>) => model.deleteMany(scoped(filter)).exec(),
  };
}

export type TenantScope<T extends TenantOwned> = ReturnType<typeof tenantScope<T>>;
