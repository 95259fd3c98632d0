// Advisory XSD report (never a build error). Microsoft's 9.0.0.2090 schema and the community schemas for the
// unpacked layout (talxis) are written for .NET XmlSchemaSet; libxml2 (xmllint-wasm) refuses parts of them
// (see shared/dataverse-schemas/SOURCE.md). We patch the .NET-only regex constructs in memory (with the XML
// parser, the files stay untouched), apply every schema group that then compiles, and report the ones that do not.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { warning, type Diagnostic } from '../diagnostics.ts';
import { attrsOf, buildOrdered, childrenOf, parseOrdered, tagOf, withChildren, type ONode } from '../lib/ordered.ts';
import type { FileTree } from '../source.ts';

export const SCHEMA_ROOT = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'dataverse-schemas');

/** XSD regex: no `\$` escape, no look-ahead, and `^`/`$` are literals (not anchors). */
export function patchPattern(value: string): string {
  let v = value.replace(/\\\$/g, '$').replace(/\(\?![^)]*\)/g, '');
  if (v.startsWith('^')) v = v.slice(1);
  if (v.endsWith('$') && !v.endsWith('\\$')) v = v.slice(0, -1);
  return v;
}

function patchNode(n: ONode): ONode {
  const tag = tagOf(n);
  if (tag === '#text' || tag === '#comment') return n;
  const copy = withChildren(n, childrenOf(n).map(patchNode));
  if (tag === 'xs:pattern') {
    const attrs = { ...attrsOf(n) };
    if (attrs['@_value'] !== undefined) attrs['@_value'] = patchPattern(attrs['@_value']);
    copy[':@'] = attrs;
  }
  return copy;
}

export function patchSchemaText(xsd: string): string {
  return buildOrdered(parseOrdered(xsd).map(patchNode));
}

/** Which community schema describes which source file. */
const GROUPS: { name: string; match: RegExp; includes: string[] }[] = [
  { name: 'Solution.xsd', match: /^Other\/Solution\.xml$/, includes: ['Solution.xsd'] },
  { name: 'Entity.xsd', match: /^Entities\/[^/]+\/Entity\.xml$/, includes: ['SharedTypes.xsd', 'Entity.xsd'] },
  { name: 'Relationship.xsd', match: /^Other\/Relationships\//, includes: ['SharedTypes.xsd', 'Relationship.xsd'] },
  { name: 'Form.xsd', match: /\/FormXml\//, includes: ['SharedTypes.xsd', 'Form.xsd'] },
  { name: 'SavedQuery.xsd', match: /\/SavedQueries\//, includes: ['SharedTypes.xsd', 'Fetch.xsd', 'SavedQuery.xsd'] },
  { name: 'Ribbon.xsd', match: /\/RibbonDiff\.xml$/, includes: ['SharedTypes.xsd', 'Ribbon.xsd'] },
  { name: 'Role.xsd', match: /^Roles\//, includes: ['SharedTypes.xsd', 'Role.xsd'] },
  { name: 'WebResource.xsd', match: /^WebResources\/.*\.data\.xml$/, includes: ['SharedTypes.xsd', 'WebResource.xsd'] },
  { name: 'Workflow.xsd', match: /^Workflows\/.*\.data\.xml$/, includes: ['SharedTypes.xsd', 'Workflow.xsd'] },
  { name: 'SdkMessageProcessingStep.xsd', match: /^SdkMessageProcessingSteps\//, includes: ['SharedTypes.xsd', 'SdkMessageProcessingStep.xsd'] },
  { name: 'EnvironmentVariable.xsd', match: /^environmentvariabledefinitions\//, includes: ['SharedTypes.xsd', 'EnvironmentVariable.xsd'] },
  { name: 'AppModule.xsd', match: /^AppModules\//, includes: ['SharedTypes.xsd', 'AppModule.xsd'] },
  { name: 'Sitemap.xsd', match: /^AppModuleSiteMaps\//, includes: ['SharedTypes.xsd', 'Sitemap.xsd'] },
];

export interface XsdReport {
  /** schema group → number of files checked */
  applied: Map<string, number>;
  /** schema group → why it could not be applied */
  skipped: Map<string, string>;
  findings: Diagnostic[];
}

export async function xsdAdvisory(tree: FileTree, schemaDir = join(SCHEMA_ROOT, 'talxis-unpacked')): Promise<XsdReport> {
  const names = (await readdir(schemaDir)).filter((f) => f.endsWith('.xsd')).sort();
  const preload = await Promise.all(names.map(async (fileName) => ({ fileName, contents: patchSchemaText(await readFile(join(schemaDir, fileName), 'utf8')) })));
  const report: XsdReport = { applied: new Map(), skipped: new Map(), findings: [] };
  for (const g of GROUPS) {
    const files = [...tree].filter(([p]) => g.match.test(p));
    if (!files.length) continue;
    const wrapper = `<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">${g.includes.map((n) => `<xs:include schemaLocation="${n}"/>`).join('')}</xs:schema>`;
    try {
      const res = await validateXML({
        xml: files.map(([, b], i) => ({ fileName: `f${i}.xml`, contents: b })),
        schema: { fileName: 'wrapper.xsd', contents: wrapper },
        preload,
        maxMemoryPages: 16384,
      });
      report.applied.set(g.name, files.length);
      for (const e of res.errors) {
        const index = Number(/^f(\d+)\.xml$/.exec(e.loc?.fileName ?? '')?.[1] ?? -1);
        const file = files[index]?.[0] ?? '(unknown)';
        report.findings.push(warning(file, `line ${e.loc?.lineNumber ?? '?'}`, `${g.name} (advisory): ${e.message.replace(/\s+/g, ' ').trim()}`));
      }
    } catch (e) {
      report.skipped.set(g.name, String((e as Error).message).split('\n')[0]!.slice(0, 200));
    }
  }
  return report;
}

export function formatXsdReport(r: XsdReport): string {
  return [
    'XSD advisory report (community schemas for the unpacked layout, patched for libxml2; not an import oracle)',
    ...[...r.applied].map(([g, n]) => `applied ${g} to ${n} file(s)`),
    ...[...r.skipped].map(([g, why]) => `skipped ${g}: schema does not compile in libxml2: ${why}`),
    `${r.findings.length} finding(s)`,
    ...r.findings.map((d) => `${d.file}: ${d.element}: ${d.message}`),
  ].join('\n');
}
