import { describe, expect, it } from 'vitest';
import { createUserRequest, loginRequest, patchUserRequest, roleAtLeast } from './auth.ts';
import { patchTenantRequest } from './tenant.ts';
import { issuePath } from './errors.ts';

describe('roles', () => {
  it('include the ones below them', () => {
    expect(roleAtLeast('admin', 'agent')).toBe(true);
    expect(roleAtLeast('supervisor', 'supervisor')).toBe(true);
    expect(roleAtLeast('agent', 'supervisor')).toBe(false);
    expect(roleAtLeast('supervisor', 'admin')).toBe(false);
  });
});

describe('request schemas', () => {
  it('lower-cases emails and refuses unknown keys', () => {
    expect(loginRequest.parse({ email: 'A@B.COM', password: 'x' }).email).toBe('a@b.com');
    expect(loginRequest.safeParse({ email: 'a@b.com', password: 'x', extra: 1 }).success).toBe(false);
  });

  it('refuses NUL in text and short passwords', () => {
    const r = createUserRequest.safeParse({ email: 'a@b.com', name: 'a\u0000b', role: 'agent', password: 'short' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => issuePath(i.path)).sort()).toEqual(['name', 'password']);
  });

  it('takes a versioned patch with at least one known field', () => {
    expect(patchUserRequest.safeParse({ version: 1, set: { role: 'admin' } }).success).toBe(true);
    expect(patchUserRequest.safeParse({ version: 1, set: {} }).success).toBe(false);
    expect(patchUserRequest.safeParse({ version: 1, set: { email: 'x@y.z' } }).success).toBe(false);
    expect(patchUserRequest.safeParse({ version: -1, set: { name: 'x' } }).success).toBe(false);
  });

  it('checks time zones against the IANA database', () => {
    expect(patchTenantRequest.safeParse({ version: 1, set: { timeZone: 'Asia/Riyadh' } }).success).toBe(true);
    expect(patchTenantRequest.safeParse({ version: 1, set: { timeZone: 'Nowhere/City' } }).success).toBe(false);
  });
});
