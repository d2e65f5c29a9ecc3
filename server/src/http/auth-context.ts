import type { Actor, Role } from '@callboard/shared';

/** Who is calling, established once per request or socket from its credentials. */
export interface AuthContext {
  tenantId: string;
  role: Role;
  actor: Actor;
  /** set for users signed in with a session */
  userId: string | null;
  sessionHash: string | null;
  apiKeyId: string | null;
  /** the credential came from the session cookie (mutations then need the CSRF header) */
  viaCookie: boolean;
}
