import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const proxyRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Vendor data the tests read (real PayPal and Dataverse webhook bodies); each folder has a SOURCES.md. */
export const fixturesDir = join(proxyRoot, 'test', 'fixtures');
export const fixturePath = (...parts: string[]) => join(fixturesDir, ...parts);
