import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const proxyRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = resolve(proxyRoot, '..');
/** ../shared beside the repository (CI lays a copy there); SHARED_DIR overrides. */
export const sharedDir = process.env.SHARED_DIR ?? resolve(repoRoot, '../shared');
if (!existsSync(sharedDir)) throw new Error(`shared fixtures not found at ${sharedDir}; set SHARED_DIR`);
export const sharedPath = (...parts: string[]) => join(sharedDir, ...parts);
