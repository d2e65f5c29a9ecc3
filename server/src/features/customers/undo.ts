import { patchCustomerRequest, type Actor, type Customer } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { conflict } from '../../http/errors.ts';
import { parseInput } from '../../http/validate.ts';
import { presentCustomer, type CustomerService } from './service.ts';

/** The caller's newest entries looked at: enough to step over saves that changed nothing. */
const OWN_LOOKBACK = 20;
/** Entries after the caller's change looked at; past that, the value check alone guards others' work. */
const LATER_LOOKBACK = 200;

/** Values compared as stored, object keys in any order. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v ?? null;
}
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * Undoes the caller's own most recent change to a customer: their last activity
 * entry's before-values are saved as a normal versioned patch (through
 * CustomerService.patch, so phone claims move and the change is logged and
 * broadcast). The undo is itself the caller's newest change, so a second undo
 * redoes. Fields someone else changed since are a 409 with `current`: undo
 * never overwrites another person's work.
 */
export async function undoLastChange(ctx: AppContext, customers: CustomerService, tenantId: string, customerId: string, actor: Actor): Promise<Customer> {
  const current = await customers.get(tenantId, customerId);
  const activities = tenantScope(ctx.models.activities, tenantId);
  // served by {tenantId, customerId, recordId, actor.id, _id}
  const mine = actor.id
    ? await activities.find({ customerId, recordId: customerId, 'actor.id': actor.id }).sort({ _id: -1 }).limit(OWN_LOOKBACK).exec()
    : [];
  const last = mine.find((e) => e.action !== 'updated' || e.changes.length > 0);
  if (last?.action !== 'updated') {
    throw conflict('nothing to undo: you have not changed this customer', undefined, { current: presentCustomer(current) });
  }

  const fields = new Set(last.changes.map((c) => c.field));
  const changedBy = new Map<string, string>();
  // served by {tenantId, customerId, _id}; entries of the customer's other records are skipped here
  const later = await activities.find({ customerId, _id: { $gt: last._id } }).sort({ _id: 1 }).limit(LATER_LOOKBACK).exec();
  for (const entry of later) {
    if (entry.recordId !== customerId) continue;
    for (const c of entry.changes) if (fields.has(c.field)) changedBy.set(c.field, entry.actor.name ?? 'someone else');
  }
  // A value unlike the one the caller left is someone's work even when the log does not show it (yet).
  const now = current as unknown as Record<string, unknown>;
  for (const c of last.changes) if (!changedBy.has(c.field) && !same(now[c.field], c.after)) changedBy.set(c.field, 'someone else');
  if (changedBy.size > 0) {
    throw conflict(
      `changed by someone else since your change: ${[...changedBy.keys()].join(', ')}`,
      [...changedBy].map(([path, who]) => ({ path, message: `changed by ${who} since your change` })),
      { current: presentCustomer(current) },
    );
  }

  const set = Object.fromEntries(last.changes.map((c) => [c.field, c.before]));
  // Based on the version just checked: a change racing this undo is the ordinary 409 of a PATCH.
  return customers.patch(tenantId, customerId, parseInput(patchCustomerRequest, { version: current.version, set }), actor);
}
