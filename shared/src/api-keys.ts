import { z } from 'zod';
import { roleSchema, type Role } from './auth.ts';
import { isoDateTime, nonEmptyText } from './primitives.ts';

export const createApiKeyRequest = z.strictObject({
  name: nonEmptyText(100),
  role: roleSchema,
  expiresAt: isoDateTime.optional(),
});

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}
export interface CreatedApiKey extends ApiKey {
  key: string;
}
