// CI check: no tracked file names a path outside the repository (rules in test/support/src/self-contained.ts).
// Exit 1 with file:line per finding, 0 with one summary line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile, formatFinding, shouldRead, type Finding } from '@ppc/test-support/self-contained';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f && shouldRead(f));

const findings: Finding[] = [];
let checked = 0;
for (const file of files) {
  const bytes = readFileSync(join(root, file));
  if (bytes.subarray(0, 8000).includes(0)) continue; // binary
  checked++;
  findings.push(...checkFile(file, bytes.toString('utf8')));
}

if (findings.length) {
  for (const f of findings) console.error(formatFinding(f));
  console.error(`self-contained: ${findings.length} finding(s) in ${checked} files`);
  process.exit(1);
}
console.log(`self-contained: ${checked} files checked`);
