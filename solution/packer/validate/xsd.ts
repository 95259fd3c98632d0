// Advisory XSD report (never a build error). Microsoft's 9.0.0.2090 schema and the community schemas for the
// unpacked layout (talxis) are written for .NET XmlSchemaSet; libxml2 (xmllint-wasm) refuses parts of them
// (see schemas/SOURCES.md). We patch the .NET-only regex constructs in memory (with the XML
// parser, the files stay untouched), apply every schema group that then compiles, and report the ones that do not.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { warning, type Diagnostic } from '../diagnostics.ts';
import { attrsOf, buildOrdered, childrenOf, parseOrdered, tagOf, withChildren, type ONode } from '../lib/ordered.ts';
import type { FileTree } from '../source.ts';

/** Vendor schemas, copied verbatim (schemas/SOURCES.md). */
export const SCHEMA_ROOT = join(import.meta.dirname, 'schemas');

/** XSD regex: no `\$` escape, no look-ahead, and `^`/`$` are literals (not anchors). */
export function patchPattern(value: string): string {
  let v = value.replace(/\\\$/g, '$').replace(/\(\?![^)]*\)/g, '');
  if (v.startsWith('^')) v = v.slice(1);
  if (v.endsWith('$') && !v.endsWith('\\$')) v = v.slice(0, -1);
  return v;
}

const LAX_ANY: ONode = {
  'xs:sequence': [
    { 'xs:any': [], ':@': { '@_processContents': 'lax', '@_minOccurs': '0', '@_maxOccurs': 'unbounded' } } as ONode,
  ],
};

function patchNode(n: ONode): ONode {
  const tag = tagOf(n);
  if (tag === '#text' || tag === '#comment') return n;
  // A choice of choices that share element names (FormXml control <parameters>) violates unique particle
  // attribution; .NET tolerates it, libxml2 does not. Accept any content there instead.
  if (tag === 'xs:choice' && childrenOf(n).filter((c) => tagOf(c) === 'xs:choice').length > 1) return LAX_ANY;
  const copy = withChildren(n, childrenOf(n).map(patchNode));
  const max = attrsOf(n)['@_maxOccurs'];
  // libxml2 unrolls counted particles (maxOccurs="100") into its automaton and then reports them as
  // non-deterministic; relax them to unbounded (advisory check: we lose only the upper bound).
  if (max !== undefined && /^\d+$/.test(max.trim()) && Number(max) > 1)
    copy[':@'] = { ...attrsOf(n), '@_maxOccurs': 'unbounded' };
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
  {
    name: 'SdkMessageProcessingStep.xsd',
    match: /^SdkMessageProcessingSteps\//,
    includes: ['SharedTypes.xsd', 'SdkMessageProcessingStep.xsd'],
  },
  {
    name: 'EnvironmentVariable.xsd',
    match: /^environmentvariabledefinitions\//,
    includes: ['SharedTypes.xsd', 'EnvironmentVariable.xsd'],
  },
  { name: 'AppModule.xsd', match: /^AppModules\//, includes: ['SharedTypes.xsd', 'AppModule.xsd'] },
  { name: 'Sitemap.xsd', match: /^AppModuleSiteMaps\//, includes: ['SharedTypes.xsd', 'Sitemap.xsd'] },
];

const MS_FILES = [
  'CustomizationsSolution.xsd',
  'isv.config.xsd',
  'SiteMapType.xsd',
  'FormXml.xsd',
  'Fetch.xsd',
  'RibbonCore.xsd',
  'RibbonTypes.xsd',
  'RibbonWSS.xsd',
];

/** Microsoft's CustomizationsSolution.xsd (9.0.0.2090) on the assembled customizations.xml of a zip. */
export async function msCustomizationsAdvisory(
  customizationsXml: Uint8Array,
  report: XsdReport,
  schemaDir = join(SCHEMA_ROOT, 'ms-9.0.0.2090'),
): Promise<void> {
  const name = 'CustomizationsSolution.xsd 9.0.0.2090';
  try {
    const [main, ...preload] = await Promise.all(
      MS_FILES.map(async (fileName) => ({
        fileName,
        contents: patchSchemaText(await readFile(join(schemaDir, fileName), 'utf8')),
      })),
    );
    const res = await validateXML({
      xml: { fileName: 'customizations.xml', contents: customizationsXml },
      schema: main!,
      preload,
      maxMemoryPages: 32768,
    });
    report.applied.set(name, 1);
    for (const e of res.errors)
      report.findings.push(
        warning(
          'customizations.xml (zip)',
          `line ${e.loc?.lineNumber ?? '?'}`,
          `${name} (advisory): ${e.message.replace(/\s+/g, ' ').trim()}`,
        ),
      );
  } catch (e) {
    report.skipped.set(
      name,
      String((e as Error).message)
        .split('\n')[0]!
        .slice(0, 200),
    );
  }
}

export interface XsdReport {
  /** schema group → number of files checked */
  applied: Map<string, number>;
  /** schema group → why it could not be applied */
  skipped: Map<string, string>;
  findings: Diagnostic[];
}

export async function xsdAdvisory(
  tree: FileTree,
  schemaDir = join(SCHEMA_ROOT, 'talxis-unpacked'),
): Promise<XsdReport> {
  const names = (await readdir(schemaDir)).filter((f) => f.endsWith('.xsd')).sort();
  const preload = await Promise.all(
    names.map(async (fileName) => ({
      fileName,
      contents: patchSchemaText(await readFile(join(schemaDir, fileName), 'utf8')),
    })),
  );
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
        report.findings.push(
          warning(
            file,
            `line ${e.loc?.lineNumber ?? '?'}`,
            `${g.name} (advisory): ${e.message.replace(/\s+/g, ' ').trim()}`,
          ),
        );
      }
    } catch (e) {
      report.skipped.set(
        g.name,
        String((e as Error).message)
          .split('\n')[0]!
          .slice(0, 200),
      );
    }
  }
  return report;
}

/** Findings grouped by message (the dated schemas repeat one complaint per column), with where they occur. */
export function formatXsdReport(r: XsdReport): string {
  const groups = new Map<string, string[]>();
  for (const d of r.findings)
    groups.set(`${d.file}: ${d.message}`, [...(groups.get(`${d.file}: ${d.message}`) ?? []), d.element]);
  return [
    'XSD advisory report: schemas patched for libxml2 (xmllint-wasm); dated, so not an import oracle.',
    ...[...r.applied].map(([g, n]) => `applied ${g} to ${n} file(s)`),
    ...[...r.skipped].map(([g, why]) => `skipped ${g}: schema does not compile in libxml2: ${why}`),
    `${r.findings.length} finding(s) in ${groups.size} kind(s):`,
    ...[...groups]
      .sort((a, b) => b[1].length - a[1].length)
      .map(
        ([k, where]) =>
          `${String(where.length).padStart(5)} × ${k} (${where.slice(0, 5).join(', ')}${where.length > 5 ? ', …' : ''})`,
      ),
  ].join('\n');
}
