// Name-based UUIDs (RFC 9562 v5): the same PayPal id always gives the same Dataverse record id, so a replay
// addresses the record it created the first time instead of creating another.
import { createHash } from 'node:crypto';

const NAMESPACE = Buffer.from('6f1b7c2e9d4a4e0f8b3c5a7d9e1f2a3b', 'hex');

export function recordId(kind: string, paypalId: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${kind}:${paypalId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
