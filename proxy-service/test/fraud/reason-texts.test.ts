// Every reason code the scorer writes has a text in the FraudScore control's resx (en-US 1033, de-DE 1031) and is in
// the control's list of codes it translates: otherwise a finance user would read the proxy's language, or a raw code.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REASON_CODES } from '../../src/fraud/reasons.ts';

const CONTROLS = join(import.meta.dirname, '..', '..', '..', 'pcf-controls');

describe('fraud reason codes in the FraudScore control', () => {
  const codes = Object.values(REASON_CODES);
  it.each(['1033', '1031'])('resx %s has a text for every code', (lcid) => {
    const resx = readFileSync(join(CONTROLS, 'FraudScore', 'strings', `FraudScore.${lcid}.resx`), 'utf8');
    const missing = codes.filter(
      (c) => !new RegExp(`<data name="reason_${c}"[^>]*>\\s*<value>[^<]+</value>`).test(resx),
    );
    expect(missing).toEqual([]);
  });
  it("the control's shared list holds every code (shared/fraud.ts REASON_CODES)", () => {
    const shared = readFileSync(join(CONTROLS, 'shared', 'fraud.ts'), 'utf8');
    expect(codes.filter((c) => !shared.includes(`'${c}'`))).toEqual([]);
  });
});
