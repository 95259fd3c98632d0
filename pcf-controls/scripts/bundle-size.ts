// Reports each control's production bundle.js and fails when one reaches the budget
// (ARCHITECTURE.md §8: < 60 KB each, React and Fluent come from the platform).
// Run after `npm run build` (production); `npm run size -w @ppc/pcf-controls`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUDGET_BYTES = 60 * 1024;
const outDir = join(import.meta.dirname, '..', 'out', 'controls');

const controls = existsSync(outDir)
  ? readdirSync(outDir).filter((name) => existsSync(join(outDir, name, 'bundle.js')))
  : [];
if (controls.length === 0) {
  console.error(`no bundles in ${outDir}: run the production build first`);
  process.exit(1);
}
let failed = false;
for (const name of controls.sort()) {
  const bytes = statSync(join(outDir, name, 'bundle.js')).size;
  const over = bytes >= BUDGET_BYTES;
  failed ||= over;
  console.log(
    `${name.padEnd(16)} ${(bytes / 1024).toFixed(1).padStart(6)} KB ${over ? 'OVER BUDGET' : 'ok'} (budget < ${BUDGET_BYTES / 1024} KB)`,
  );
}
process.exit(failed ? 1 : 0);
