import type { z } from 'zod';
import {
  canMove,
  roleAtLeast,
  ticketTransitions,
  type Actor,
  type createTicketRequest,
  type patchTicketRequest,
  type Role,
  type Ticket,
  type TicketPriority,
  type TicketStatus,
} from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { EditableRecords } from '../../db/editable.ts';
import { dateOrNull } from '../../db/schema-helpers.ts';
import { changedSince } from '../../db/versioned.ts';
import { newId } from '../../db/ids.ts';
import type { PageRequest } from '../../db/paginate.ts';
import { forbidden, validationFailed } from '../../http/errors.ts';
import { requireCustomer } from '../customers/service.ts';
import type { TicketDoc } from './model.ts';

export const ticketEditableFields = [
  'subject',
  'category',
  'priority',
  'status',
  'assigneeId',
  'slaDueAt',
  'resolutionNote',
  'approvedBy',
] as const;

export interface TicketFilter {
  status?: TicketStatus | undefined;
  priority?: TicketPriority | undefined;
  customerId?: string | undefined;
}



export function presentTicket(doc: TicketDoc): Ticket {
  return {
    id: doc._id,
    customerId: doc.customerId,
    subject: doc.subject,
    category: doc.category,
    priority: doc.priority,
    status: doc.status,
    assigneeId: doc.assigneeId,
    slaDueAt: doc.slaDueAt ? doc.slaDueAt.toISOString() : null,
    resolutionNote: doc.resolutionNote,
    approvedBy: doc.approvedBy,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export class TicketService {
  readonly records: EditableRecords<TicketDoc, Ticket>;

  constructor(private readonly ctx: AppContext) {
    this.records = new EditableRecords(ctx, {
      model: ctx.models.tickets,
      recordType: 'ticket',
      what: 'ticket',
      created: 'ticket.created',
      updated: 'ticket.updated',
      deleted: 'ticket.deleted',
      fields: ticketEditableFields,
      present: presentTicket,
      customerOf: (d) => d.customerId,
    });
  }

  get(tenantId: string, id: string) {
    return this.records.get(tenantId, id);
  }

  /** Newest first; the customer sub-route passes `{customerId}`. */
  list(tenantId: string, filter: TicketFilter, page: PageRequest) {
    return this.records.list(tenantId, { ...filter }, page);
  }

  async create(tenantId: string, req: z.output<typeof createTicketRequest>, actor: Actor): Promise<Ticket> {
    await requireCustomer(this.ctx, tenantId, req.customerId);
    const now = new Date();
    return this.records.create(
      tenantId,
      {
        _id: newId(),
        customerId: req.customerId,
        subject: req.subject,
        category: req.category,
        priority: req.priority,
        status: 'open',
        assigneeId: req.assigneeId ?? null,
        slaDueAt: dateOrNull(req.slaDueAt),
        resolutionNote: null,
        approvedBy: null,
        version: 1,
        fieldVersions: {},
        createdAt: now,
        updatedAt: now,
      },
      actor,
    );
  }

  async patch(tenantId: string, id: string, req: z.output<typeof patchTicketRequest>, who: { role: Role; actor: Actor }): Promise<Ticket> {
    const to = req.set.status;
    const approves = (current: TicketDoc) => current.status === 'pending_approval' && to === 'resolved';
    const { record } = await this.records.patch(tenantId, id, req, who.actor, {
      check: (current) => {
        if (!to || to === current.status || changedSince(current, req.version, Object.keys(req.set)).length > 0) return;
        if (!canMove(ticketTransitions, current.status, to)) {
          throw validationFailed([{ path: 'set.status', message: `cannot move from ${current.status} to ${to}` }]);
        }
        if (approves(current) && !roleAtLeast(who.role, 'supervisor')) {
          throw forbidden('only a supervisor or admin may approve a resolution');
        }
      },
      toStored: (set, current) => {
        const stored: Record<string, unknown> = { ...set };
        if ('slaDueAt' in set) stored.slaDueAt = dateOrNull(set.slaDueAt as string | null);
        if (approves(current)) stored.approvedBy = who.actor.id ?? null;
        return stored;
      },
    });
    return record;
  }

  async delete(tenantId: string, id: string, actor: Actor) {
    await this.records.delete(tenantId, id, actor);
  }
}
