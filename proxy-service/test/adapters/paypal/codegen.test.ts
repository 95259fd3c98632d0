// The committed generated/*.d.ts are exactly what the generator makes from src/adapters/paypal/openapi/.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { generateSpecTypes, outDir, SPECS } from '../../../src/adapters/paypal/codegen.ts';

describe('generated PayPal types', () => {
  it.each(SPECS)(
    '%s.d.ts matches a fresh generation (run `npm run -w proxy-service generate` if not)',
    async (spec) => {
      const committed = await readFile(`${outDir}${spec}.d.ts`, 'utf8');
      const fresh = await generateSpecTypes(spec);
      expect(fresh.length).toBeGreaterThan(10_000);
      expect(fresh === committed).toBe(true);
    },
  );
});
