import { z } from 'zod';
import { localeSchema, type Locale } from '../auth.ts';
import { emailSchema, nonEmptyText, text, versionedPatch } from '../primitives.ts';
import { idSchema } from '../primitives.ts';
import { listQuery, type Timestamps } from './common.ts';
import { phoneSchema } from './phone.ts';

export const customerStages = ['new', 'qualified', 'booked', 'won', 'lost'] as const;
export const customerStageSchema = z.enum(customerStages);
export type CustomerStage = z.infer<typeof customerStageSchema>;

const consentsSchema = z.strictObject({ marketing: z.boolean(), recording: z.boolean(), whatsapp: z.boolean() });
/** Empty text means "no value". */
const optionalText = (max: number) =>
  text(max)
    .transform((s) => s.trim() || null)
    .nullable();

export const customerFields = {
  name: optionalText(120),
  phone: phoneSchema.nullable(),
  email: emailSchema.nullable(),
  language: localeSchema,
  stage: customerStageSchema,
  tags: z.array(nonEmptyText(40)).max(20),
  consents: consentsSchema,
  notes: optionalText(5000),
};

export const createCustomerRequest = z.strictObject({
  name: customerFields.name.optional(),
  phone: customerFields.phone.optional(),
  email: customerFields.email.optional(),
  language: customerFields.language.optional(),
  stage: customerFields.stage.default('new'),
  tags: customerFields.tags.default([]),
  consents: consentsSchema.default({ marketing: false, recording: false, whatsapp: false }),
  notes: customerFields.notes.optional(),
});
export type CreateCustomerRequest = z.infer<typeof createCustomerRequest>;

export const patchCustomerRequest = versionedPatch(customerFields);
export type PatchCustomerRequest = z.infer<typeof patchCustomerRequest>;

export const customerListQuery = listQuery({
  q: text(100).optional(),
  stage: customerStageSchema.optional(),
});

export const customerDeleteQuery = z.strictObject({ erase: z.enum(['true', 'false']).optional() });

export interface Customer extends Timestamps {
  id: string;
  name: string | null;
  displayName: string;
  phone: string | null;
  email: string | null;
  language: Locale;
  stage: CustomerStage;
  tags: string[];
  consents: z.infer<typeof consentsSchema>;
  notes: string | null;
  version: number;
}

export const customerIdSchema = idSchema;
