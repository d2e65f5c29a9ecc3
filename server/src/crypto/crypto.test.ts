import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';
import { SecretBox } from './secrets.ts';
import { newApiKey, parseApiKey } from './tokens.ts';

describe('passwords', () => {
  it('verify only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('wrong horse battery', stored)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
  });
});

describe('SecretBox', () => {
  it('round-trips and refuses a value sealed with another key', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('whsec_secret');
    expect(sealed).not.toContain('whsec_secret');
    expect(box.open(sealed)).toBe('whsec_secret');
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});

describe('API keys', () => {
  it('carry their id and parse back', () => {
    const k = newApiKey();
    expect(k.key.startsWith(`${k.prefix}_`)).toBe(true);
    expect(parseApiKey(k.key)).toEqual({ id: k.id });
    expect(parseApiKey('cbk_short_x')).toBeNull();
  });
});
