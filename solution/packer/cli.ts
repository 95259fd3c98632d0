// npm run -w @ppc/solution build [-- --src <dir> --pcf <dir> --out <dir>]
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSolution } from './build.ts';
import { formatDiagnostic } from './diagnostics.ts';
import { PUBLISHER_PREFIX } from './scaffold/solution-xml.ts';
import { readControls, readTree } from './source.ts';
import { lintWebResources } from './validate/lint.ts';
import { unzipSync } from 'fflate';
import { formatXsdReport, msCustomizationsAdvisory, xsdAdvisory } from './validate/xsd.ts';

const here = import.meta.dirname;
const { values } = parseArgs({
  options: {
    src: { type: 'string', default: join(here, '..', 'src') },
    pcf: { type: 'string', default: join(here, '..', '..', 'pcf-controls', 'out', 'controls') },
    out: { type: 'string', default: join(here, '..', 'dist') },
    'no-xsd': { type: 'boolean', default: false },
  },
});

const tree = await readTree(resolve(values.src));
const controls = await readControls(resolve(values.pcf), PUBLISHER_PREFIX);
const result = buildSolution(tree, controls);
const lint = await lintWebResources(tree);
result.diagnostics.push(...lint);
if (lint.some((d) => d.severity === 'error')) result.ok = false;
for (const d of result.diagnostics) console[d.severity === 'error' ? 'error' : 'warn'](formatDiagnostic(d));
if (!result.ok) {
  console.error(`solution build FAILED: ${result.diagnostics.filter((d) => d.severity === 'error').length} error(s)`);
  process.exit(1);
}
await mkdir(resolve(values.out), { recursive: true });
for (const z of result.zips) {
  await writeFile(join(resolve(values.out), z.fileName), z.bytes);
  console.log(
    `${join(values.out, z.fileName)}  ${z.bytes.length} bytes  sha256 ${z.sha256}  (${z.entries.length} entries)`,
  );
}
if (!values['no-xsd']) {
  const xsd = await xsdAdvisory(tree);
  const customizations = unzipSync(result.zips[0]!.bytes, { filter: (f) => f.name === 'customizations.xml' })[
    'customizations.xml'
  ];
  if (customizations) await msCustomizationsAdvisory(customizations, xsd);
  await writeFile(join(resolve(values.out), 'xsd-advisory.txt'), `${formatXsdReport(xsd)}\n`);
  console.log(
    `XSD advisory: applied ${[...xsd.applied.keys()].join(', ')}; skipped ${xsd.skipped.size} schema(s) that do not compile in libxml2; ${xsd.findings.length} finding(s) → ${join(values.out, 'xsd-advisory.txt')}`,
  );
}
console.log(
  `PCF controls packed: ${controls ? controls.map((c) => c.name).join(', ') || 'none' : 'none (pcf-controls/out/controls missing)'}`,
);
