export * from './types.ts';
export * from './options.ts';
export * from './tables.ts';
export * from './extensions.ts';
export * from './roles.ts';
export { stableGuid } from './guid.ts';
export * from './integration.ts';
export * from './field-security.ts';
