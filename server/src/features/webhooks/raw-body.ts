import type { Request, Response } from 'express';
import { AppError, validationFailed } from '../../http/errors.ts';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
export const ELEVENLABS_BODY_LIMIT = 50 * 1024 * 1024;
const TAIL_BYTES = 4096;

export interface RawBody {
  /** the first `keep` bytes: the whole body when `complete` */
  head: Buffer;
  /** the last few KB, for reading a field that follows a large one */
  tail: Buffer;
  size: number;
  complete: boolean;
}

export interface ReadOptions {
  limit: number;
  /** how much to hold in memory; the rest only passes through `onChunk` */
  keep?: number;
  onChunk?: (chunk: Buffer) => void;
}

function tooLarge(res: Response) {
  // The rest of the body is discarded unread; the connection is not reused.
  res.setHeader('Connection', 'close');
  return new AppError('payload_too_large', 'the body is larger than allowed');
}

/**
 * Reads the raw request body (signatures are over its exact bytes), refusing
 * more than `limit` bytes with a 413 and holding at most `keep` of them, so a
 * 50 MB post-call audio streams through the signature check without being kept.
 */
export function readRawBody(req: Request, res: Response, opts: ReadOptions): Promise<RawBody> {
  const keep = opts.keep ?? opts.limit;
  const encoding = req.get('content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') {
    return Promise.reject(new AppError('unsupported_media_type', 'compressed bodies are not accepted'));
  }
  if (Number(req.get('content-length') ?? 0) > opts.limit) return Promise.reject(tooLarge(res));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    let tail = Buffer.alloc(0);
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > opts.limit) {
        done();
        req.resume();
        reject(tooLarge(res));
        return;
      }
      opts.onChunk?.(chunk);
      if (kept < keep) {
        const part = chunk.subarray(0, keep - kept);
        chunks.push(part);
        kept += part.length;
      }
      tail = Buffer.concat([tail, chunk]).subarray(-TAIL_BYTES);
    };
    const onEnd = () => {
      done();
      resolve({ head: Buffer.concat(chunks), tail, size, complete: size <= keep });
    };
    const onError = () => {
      done();
      reject(validationFailed([{ path: '', message: 'the body could not be read' }]));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}

/** The media type of the request without parameters, lower-cased ('' when absent). */
export function mediaType(req: Request): string {
  return (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Refuses any body type but the ones a provider sends: 415. */
export function requireMediaType(req: Request, allowed: string[]) {
  if (!allowed.includes(mediaType(req))) {
    throw new AppError('unsupported_media_type', `send the body as ${allowed.join(' or ')}`);
  }
}

/** Parses JSON from raw bytes; malformed JSON is a 400. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw validationFailed([{ path: '', message: 'the body is not valid JSON' }]);
  }
}
