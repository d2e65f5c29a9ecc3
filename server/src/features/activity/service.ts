import type { Activity, Actor, FieldChange } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { newId } from '../../db/ids.ts';
import { paginate, type PageRequest } from '../../db/paginate.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { comparable } from '../../db/values.ts';
import type { ActivityDoc } from './model.ts';

const stored = (v: unknown) => (v instanceof Date ? v.toISOString() : (v ?? null));

/** Each named field whose value differs, with its before and after. */
export function diffFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null, fields: readonly string[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const b = before?.[field];
    const a = after?.[field];
    if (comparable(b) !== comparable(a)) changes.push({ field, before: stored(b), after: stored(a) });
  }
  return changes;
}

export function presentActivity(doc: ActivityDoc): Activity {
  return {
    id: doc._id,
    customerId: doc.customerId,
    recordType: doc.recordType,
    recordId: doc.recordId,
    action: doc.action,
    actor: doc.actor,
    at: doc.at.toISOString(),
    changes: doc.changes,
  };
}

export class ActivityLog {
  constructor(private readonly ctx: AppContext) {}

  async record(
    tenantId: string,
    entry: { customerId: string; recordType: Activity['recordType']; recordId: string; action: Activity['action']; actor: Actor; changes: FieldChange[] },
  ) {
    await tenantScope(this.ctx.models.activities, tenantId).create({ _id: newId(), at: new Date(), ...entry });
  }

  list(tenantId: string, customerId: string, page: PageRequest) {
    return paginate(tenantScope(this.ctx.models.activities, tenantId), { customerId }, page, presentActivity);
  }

}
