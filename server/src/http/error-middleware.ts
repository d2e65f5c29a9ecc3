import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '@callboard/shared';
import { AppError, notFound, unavailable, validationFailed } from './errors.ts';

const DB_DOWN = /^Mongo(NetworkError|NetworkTimeoutError|ServerSelectionError|NotConnectedError|TopologyClosedError|PoolClearedError)/;

/** Errors body-parser raises, mapped onto the contract's codes. */
function fromBodyParser(err: { type?: string; status?: number }): AppError | null {
  switch (err.type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'the body is larger than allowed');
    case 'entity.parse.failed':
      return validationFailed([{ path: '', message: 'the body is not valid JSON' }]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'unsupported body encoding');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return validationFailed([{ path: '', message: 'the body could not be read' }]);
    default:
      return null;
  }
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound('route'));

/** The one place errors become answers: known ones with their code, everything else a 500 logged once. */
export const errorMiddleware: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) return next(err);
  let known: AppError | null = err instanceof AppError ? err : null;
  if (!known && err && typeof err === 'object') {
    known = fromBodyParser(err as { type?: string });
    if (!known && DB_DOWN.test((err as Error).name ?? '')) {
      req.log.warn({ err }, 'database unavailable');
      known = unavailable();
    }
  }
  if (!known) {
    req.log.error({ err }, 'unhandled error');
    known = new AppError('internal', 'internal error; quote the x-request-id header when reporting it');
  }
  const body: ErrorBody & Record<string, unknown> = {
    error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) },
    ...known.extra,
  };
  if (known.headers) res.set(known.headers);
  res.status(known.status).json(body);
};
