import { z } from 'zod';
import { emailSchema, idSchema, nonEmptyText, passwordSchema, text, versionedPatch } from './primitives.ts';

export const roles = ['agent', 'supervisor', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Each role includes the ones below it. */
export const roleRank: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2 };
export const roleAtLeast = (role: Role, needed: Role) => roleRank[role] >= roleRank[needed];

export const localeSchema = z.enum(['ar', 'en']);
export type Locale = z.infer<typeof localeSchema>;

export const slugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, { message: 'must be 1-48 lower-case letters, digits or dashes' });

export const personNameSchema = nonEmptyText(100);

export const loginRequest = z.strictObject({ email: emailSchema, password: text(200).pipe(z.string().min(1)) });
export type LoginRequest = z.infer<typeof loginRequest>;

export const changeOwnPasswordRequest = z.strictObject({ current: text(200), password: passwordSchema });
export const resetPasswordRequest = z.strictObject({ password: passwordSchema });

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
}
export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  locale: Locale;
  timeZone: string;
}

export interface MeResponse {
  user: UserSummary;
  tenant: TenantSummary;
}
export interface LoginResponse extends MeResponse {
  token: string;
}

export interface User extends UserSummary {
  disabled: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const createUserRequest = z.strictObject({
  email: emailSchema,
  name: personNameSchema,
  role: roleSchema,
  password: passwordSchema,
});
export const patchUserRequest = versionedPatch({ name: personNameSchema, role: roleSchema, disabled: z.boolean() });

export const provisionTenantRequest = z.strictObject({
  name: nonEmptyText(120),
  slug: slugSchema,
  locale: localeSchema.optional(),
  timeZone: text(64).optional(),
  admin: z.strictObject({ email: emailSchema, password: passwordSchema, name: personNameSchema }),
});
export type ProvisionTenantRequest = z.infer<typeof provisionTenantRequest>;

export const userIdParams = z.strictObject({ id: idSchema });
