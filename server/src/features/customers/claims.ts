import { derivedId } from '../../db/ids.ts';

/** A customer's phone is unique within its tenant: kept so by a claim on tenant and number. */
export const phoneClaim = (tenantId: string, phone: string) => `phone:${derivedId(tenantId, phone)}`;
