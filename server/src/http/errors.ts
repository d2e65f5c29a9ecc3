import type { ErrorCode, ErrorDetail } from '@callboard/shared';
import { errorStatus, issuePath } from '@callboard/shared';
import type { z } from 'zod';

/** A known failure with a stable code; anything else is answered as `internal`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra top-level fields of the answer, such as `current` on a conflict. */
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

export const notFound = (what = 'record') => new AppError('not_found', `${what} not found`);
export const unauthorized = (message = 'authentication required') => new AppError('unauthorized', message);
export const forbidden = (message = 'not allowed for your role') => new AppError('forbidden', message);
export const unavailable = (message = 'the database is unavailable, try again') => new AppError('unavailable', message);
export const conflict = (message: string, details?: ErrorDetail[], extra?: Record<string, unknown>) =>
  new AppError('conflict', message, details, extra);
export const rateLimited = (retryAfterSec: number) =>
  new AppError('rate_limited', 'too many requests, slow down', undefined, undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSec))),
  });
export const validationFailed = (details: ErrorDetail[]) =>
  new AppError('validation_failed', details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '), details);

/** Every zod issue becomes a detail with its path; each unknown key is named by its own path. */
export function fromZod(error: z.ZodError): AppError {
  return validationFailed(
    error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: issuePath([...issue.path, key]), message: 'is not an allowed field' }))
        : [{ path: issuePath(issue.path), message: issue.message }],
    ),
  );
}
