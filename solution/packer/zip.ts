// Deterministic zip: sorted input order kept by the caller, one fixed timestamp, fixed compression level.
import { zipSync, type Zippable } from 'fflate';

/**
 * Zip stores DOS local date/time and fflate reads it with the local-time getters; a Date built from local
 * components (2000-01-01 00:00) therefore yields the same bytes in every time zone.
 */
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

export function zipEntries(entries: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  const z: Zippable = {};
  for (const [path, data] of entries) z[path] = [data, { level: 6, mtime: FIXED_MTIME }];
  return zipSync(z, { level: 6, mtime: FIXED_MTIME });
}
