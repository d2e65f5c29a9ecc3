import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { errorStatus, type ErrorBody, type ErrorCode, type ErrorDetail } from '@callboard/shared';

/** `network`: the request never got an answer (offline, server down, proxy gone). */
export type ApiErrorCode = ErrorCode | 'network';

/** A failed API call, as the contract's error body describes it (API.md §2). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** On a 409, the record as it is now, so the screen can show it. */
    readonly current?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problem reported for one input, by its path in the request body (`set.timeZone`). */
  detail(path: string): string | undefined {
    return this.details.find((d) => d.path === path)?.message;
  }
}

// A 401 from signing in means wrong credentials, not an ended session.
const LOGIN_PATH = '/api/auth/login';

function isErrorBody(body: unknown): body is ErrorBody & { current?: unknown } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const { error } = body;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

function codeOfStatus(status: number): ErrorCode {
  const known = Object.entries(errorStatus).find(([, s]) => s === status);
  return known ? (known[0] as ErrorCode) : 'internal';
}

async function toApiError(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  if (!isErrorBody(body)) return new ApiError(res.status, codeOfStatus(res.status), res.statusText);
  const { code, message, details } = body.error;
  return new ApiError(res.status, code, message, details, body.current);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Requested-With': 'callboard' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;

  const error = await toApiError(res);
  if (res.status === 401 && path !== LOGIN_PATH) void goto(resolve('/login'));
  throw error;
}

/** The one client of the Callboard API: same-origin cookie session, JSON in and out. */
export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: (path: string) => request<void>('DELETE', path),
};
