import { z } from 'zod';
import { idSchema, limitSchema, cursorSchema } from '../primitives.ts';

/** ISO date (`2026-12-01`) or date-time, answered as a UTC date-time. */
export const dateOrDateTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { message: 'must be an ISO date or date-time' })
  .transform((v) => new Date(v).toISOString());

export const byIdParams = z.strictObject({ id: idSchema });

/** Pagination plus a record's own filters, all strict. */
export function listQuery<S extends z.ZodRawShape>(filters: S) {
  return z.strictObject({ limit: limitSchema, cursor: cursorSchema.optional(), ...filters });
}

export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A status machine: the allowed moves from each status. */
export type Transitions<S extends string> = Record<S, readonly S[]>;

export function canMove<S extends string>(rules: Transitions<S>, from: S, to: S): boolean {
  return rules[from].includes(to);
}

export interface Timestamps {
  createdAt: string;
  updatedAt: string;
}
