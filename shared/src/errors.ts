/** Error codes of API.md §2, with the HTTP status each answers with. */
export const errorStatus = {
  unauthorized: 401,
  invalid_signature: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

/** Turns zod issue paths into the dotted form the API reports (`set.phone`, `items.2.id`). */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}
