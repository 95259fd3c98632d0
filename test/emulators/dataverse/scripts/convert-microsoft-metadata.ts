// Turns the vendored Microsoft table reference pages (metadata/microsoft/*.md, see metadata/SOURCES.md)
// into metadata/standard-schema.json, which the emulator loads at start (src/metadata/standard-schema.ts).
// Run after adding or refreshing a page:  npx node test/emulators/dataverse/scripts/convert-microsoft-metadata.ts
// test/standard-schema.test.ts fails when the JSON is not what this script produces.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { convertVendoredPages } from '../src/metadata/standard-schema.ts';

const out = fileURLToPath(new URL('../metadata/standard-schema.json', import.meta.url));
const schema = convertVendoredPages();
// formatted as the repository's `npm run format:check` expects
const options = { ...(await resolveConfig(out)), filepath: out };
writeFileSync(out, await format(JSON.stringify(schema), options));
console.log(
  `${out}: ${schema.tables.length} tables, ${schema.tables.reduce((n, t) => n + t.columns.length, 0)} columns`,
);
