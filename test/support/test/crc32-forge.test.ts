import { describe, expect, it } from '@jest/globals';
import { crc32 } from 'node:zlib';
import { forceCrc32Bytes, forgeWithCrcOf } from '../src/crc32-forge.ts';

describe('CRC32 forcing', () => {
  it('finds the 4 bytes that give any target CRC', () => {
    const body = Buffer.from('prefix....suffix that follows the patch');
    for (const target of [0, 0xffffffff, 0x12345678, crc32('something else') >>> 0]) {
      const patch = forceCrc32Bytes(body, 6, target);
      const forged = Buffer.from(body);
      patch.copy(forged, 6);
      expect(crc32(forged) >>> 0).toBe(target);
    }
  });

  it('forges valid JSON with the CRC32 of a genuine body', () => {
    const genuine = JSON.stringify({ id: 'WH-1', resource: { id: 'CAP-1', amount: { value: '30.00' } } });
    const forged = forgeWithCrcOf(
      genuine,
      JSON.stringify({ id: 'WH-2', summary: '@@PAD@@', resource: { id: 'CAP-2', amount: { value: '4321.00' } } }),
      '@@PAD@@',
    );
    expect(crc32(forged)).toBe(crc32(genuine));
    expect(forged.equals(Buffer.from(genuine))).toBe(false);
    expect(JSON.parse(forged.toString('utf8'))).toMatchObject({
      id: 'WH-2',
      resource: { amount: { value: '4321.00' } },
    });
  });
});
