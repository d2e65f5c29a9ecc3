import type { z } from 'zod';
import {
  bookingTransitions,
  canMove,
  type Actor,
  type Booking,
  type BookingStatus,
  type createBookingRequest,
  type patchBookingRequest,
} from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { EditableRecords } from '../../db/editable.ts';
import { dateOrNull } from '../../db/schema-helpers.ts';
import { changedSince } from '../../db/versioned.ts';
import { newId } from '../../db/ids.ts';
import type { PageRequest } from '../../db/paginate.ts';
import { validationFailed } from '../../http/errors.ts';
import { requireCustomer } from '../customers/service.ts';
import type { BookingDoc } from './model.ts';

export const bookingEditableFields = ['propertyCode', 'startDate', 'endDate', 'status', 'priceSar', 'source', 'createdBy'] as const;

export interface BookingFilter {
  status?: BookingStatus | undefined;
  customerId?: string | undefined;
}



export function presentBooking(doc: BookingDoc): Booking {
  return {
    id: doc._id,
    customerId: doc.customerId,
    propertyCode: doc.propertyCode,
    startDate: doc.startDate.toISOString(),
    endDate: doc.endDate ? doc.endDate.toISOString() : null,
    status: doc.status,
    priceSar: doc.priceSar,
    source: doc.source,
    createdBy: doc.createdBy,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export class BookingService {
  readonly records: EditableRecords<BookingDoc, Booking>;

  constructor(private readonly ctx: AppContext) {
    this.records = new EditableRecords(ctx, {
      model: ctx.models.bookings,
      recordType: 'booking',
      what: 'booking',
      created: 'booking.created',
      updated: 'booking.updated',
      deleted: 'booking.deleted',
      fields: bookingEditableFields,
      present: presentBooking,
      customerOf: (d) => d.customerId,
    });
  }

  get(tenantId: string, id: string) {
    return this.records.get(tenantId, id);
  }

  /** Newest first; the customer sub-route passes `{customerId}`. */
  list(tenantId: string, filter: BookingFilter, page: PageRequest) {
    return this.records.list(tenantId, { ...filter }, page);
  }

  async create(tenantId: string, req: z.output<typeof createBookingRequest>, actor: Actor): Promise<Booking> {
    const startDate = new Date(req.startDate);
    const endDate = dateOrNull(req.endDate);
    if (endDate && endDate < startDate) throw validationFailed([{ path: 'endDate', message: 'must not be before startDate' }]);
    await requireCustomer(this.ctx, tenantId, req.customerId);
    const now = new Date();
    return this.records.create(
      tenantId,
      {
        _id: newId(),
        customerId: req.customerId,
        propertyCode: req.propertyCode,
        startDate,
        endDate,
        status: 'pending',
        priceSar: req.priceSar ?? null,
        source: req.source,
        createdBy: req.createdBy,
        version: 1,
        fieldVersions: {},
        createdAt: now,
        updatedAt: now,
      },
      actor,
    );
  }

  async patch(tenantId: string, id: string, req: z.output<typeof patchBookingRequest>, actor: Actor): Promise<Booking> {
    const { set } = req;
    const { record } = await this.records.patch(tenantId, id, req, actor, {
      // Runs against the very version the patch is committed over, so merged edits of the two dates stay ordered.
      check: (current) => {
        if (changedSince(current, req.version, Object.keys(req.set)).length > 0) return;
        if (set.status && set.status !== current.status && !canMove(bookingTransitions, current.status, set.status)) {
          throw validationFailed([{ path: 'set.status', message: `cannot move from ${current.status} to ${set.status}` }]);
        }
        const start = set.startDate ? new Date(set.startDate) : current.startDate;
        const end = set.endDate !== undefined ? dateOrNull(set.endDate) : current.endDate;
        if (end && end < start) {
          throw validationFailed(
            set.endDate !== undefined
              ? [{ path: 'set.endDate', message: 'must not be before startDate' }]
              : [{ path: 'set.startDate', message: 'must not be after endDate' }],
          );
        }
      },
      toStored: (s) => {
        const stored: Record<string, unknown> = { ...s };
        if (s.startDate !== undefined) stored.startDate = new Date(s.startDate as string);
        if (s.endDate !== undefined) stored.endDate = dateOrNull(s.endDate as string | null);
        return stored;
      },
    });
    return record;
  }

  async delete(tenantId: string, id: string, actor: Actor) {
    await this.records.delete(tenantId, id, actor);
  }
}
