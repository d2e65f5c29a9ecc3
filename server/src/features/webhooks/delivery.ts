import type { Request, Response } from 'express';
import type { Actor } from '@callboard/shared';
import { AppError, unavailable } from '../../http/errors.ts';
import type { DeliveryEndpoint } from '../webhook-endpoints/service.ts';

/** What one delivery did: changed records, changed nothing (a repeat or a stale callback), or was acknowledged and not kept. */
export type Outcome = 'applied' | 'duplicate' | 'ignored';

/** One inbound delivery while it is handled; `verified` and `providerKey` are filled in as it passes its checks. */
export interface Delivery {
  endpoint: DeliveryEndpoint;
  /** taken from the endpoint, never from the payload */
  tenantId: string;
  actor: Actor;
  req: Request;
  res: Response;
  receivedAt: Date;
  verified: boolean;
  providerKey: string | null;
}

/** Receives one provider's delivery: reads and verifies the raw body, validates it, ingests it. */
export type Receiver = (delivery: Delivery) => Promise<Outcome>;

export const invalidSignature = () => new AppError('invalid_signature', 'the webhook signature does not verify');

const DB_DOWN = /^Mongo(ose)?(NetworkError|NetworkTimeoutError|ServerSelectionError|NotConnectedError|TopologyClosedError|PoolClearedError)/;

/** The answer an error will get: known codes as they are, a database outage as 503 (the provider retries), else null (500). */
export function knownError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err && typeof err === 'object' && DB_DOWN.test((err as Error).name ?? '')) return unavailable();
  return null;
}
