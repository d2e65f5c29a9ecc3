import { z } from 'zod';

const NUL = '\u0000';

/** A string that may not contain NUL (MongoDB-compatible stores cannot keep it) and is bounded. */
export const text = (max = 500) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes(NUL), { message: 'must not contain NUL characters' });

export const nonEmptyText = (max = 500) => text(max).pipe(z.string().trim().min(1, { message: 'must not be empty' }));

/** Opaque record id as the API hands it out: URL-safe, bounded. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be an id' });

export const emailSchema = z
  .email({ message: 'must be an email address' })
  .max(254)
  .transform((s) => s.toLowerCase());

export const passwordSchema = text(200).pipe(z.string().min(12, { message: 'must be at least 12 characters' }));

export const isoDateTime = z.iso.datetime({ offset: true });

export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);
export const cursorSchema = text(200);

export const pageQuery = z.strictObject({ limit: limitSchema, cursor: cursorSchema.optional() });

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * `PATCH {version, set}`: the body every editable record takes (API.md §5).
 * `set` holds at least one field.
 */
export function versionedPatch<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject({
    version: z.number().int().min(0),
    set: z
      .strictObject(shape)
      .partial()
      .refine((v) => Object.keys(v).length > 0, {
        message: 'must change at least one field',
        // an unknown key is already reported by its own path
        when: (payload) => payload.issues.length === 0,
      }),
  });
}
