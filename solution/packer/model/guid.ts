import { createHash } from 'node:crypto';

/**
 * Name-based UUID (RFC 9562 v5, SHA-1) in our own namespace: forms, views, roles and steps keep the same id
 * across builds and machines, which upgrades of a managed solution rely on (ids identify components).
 */
const NAMESPACE = Buffer.from('5f0b6a52c1e34a1c9a5ab3d2c0f1e7a4', 'hex');

export function stableGuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
