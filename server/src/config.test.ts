import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', mongodbUri: undefined, redisUrl: undefined, publicUrl: 'http://localhost:3000', logLevel: 'info', demo: true });
    expect(c.dataDir).toMatch(/\.data$/);
  });

  it('derives PUBLIC_URL from PORT and drops a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://cb.example.com/' }).publicUrl).toBe('https://cb.example.com');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ MONGODB_URI: 'postgres://x' }, /MONGODB_URI/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
    [{ SECRETS_KEY: 'c2hvcnQ=' }, /SECRETS_KEY must be 32 bytes/],
    [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL/],
  ])('refuses %o with one line naming the variable', (env, pattern) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).toMatch(pattern);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ MONGODB_URI: '', ADMIN_TOKEN: '' })).toMatchObject({ mongodbUri: undefined, adminToken: undefined });
  });
});
