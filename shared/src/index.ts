export * from './primitives.ts';
export * from './errors.ts';
export * from './auth.ts';
export * from './tenant.ts';
export * from './api-keys.ts';
export * from './events.ts';
export * from './records/index.ts';
