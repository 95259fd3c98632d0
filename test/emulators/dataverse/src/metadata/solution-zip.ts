// Packed solution zip → SolutionContent. The zip root must hold solution.xml, customizations.xml and
// [Content_Types].xml (dataverse.md §2.1, error 0x80048060); anything malformed is rejected before
// the database is touched.
import { unzipSync } from 'fflate';
import { XMLValidator } from 'fast-xml-parser';
import { DataverseError } from '../errors.ts';
import { children, parseXml } from './xml.ts';
import { parseEnvironmentVariable, readCustomizations } from './solution-reader.ts';
import type { SolutionContent } from './solution-reader.ts';

const REQUIRED = ['solution.xml', 'customizations.xml', '[Content_Types].xml'];

export function invalidSolution(detail: string): DataverseError {
  return new DataverseError(
    400,
    '0x80048060',
    `The solution file is invalid. The compressed file must contain the following files at its root: solution.xml, customizations.xml, and [Content_Types].xml. ${detail}`.trim(),
  );
}

export function readSolutionZip(bytes: Uint8Array): { uniqueName: string; content: SolutionContent } {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw invalidSolution(`The file is not a valid zip archive (${e instanceof Error ? e.message : String(e)}).`);
  }
  const names = new Map(Object.keys(files).map((n) => [n.toLowerCase(), n]));
  for (const r of REQUIRED) if (!names.has(r.toLowerCase())) throw invalidSolution(`Missing: ${r}.`);
  const read = (n: string): string => {
    const xml = new TextDecoder().decode(files[names.get(n.toLowerCase()) as string]);
    const valid = XMLValidator.validate(xml);
    if (valid !== true) throw new Error(`${n} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
    return xml;
  };
  let uniqueName = '';
  let content: SolutionContent;
  try {
    const sol = parseXml(read('solution.xml'));
    const manifest = ((sol.ImportExportXml as Record<string, unknown> | undefined)?.SolutionManifest ?? {}) as Record<
      string,
      unknown
    >;
    uniqueName = String(manifest.UniqueName ?? '');
    if (!uniqueName) throw new Error('solution.xml has no SolutionManifest/UniqueName');
    content = readCustomizations(read('customizations.xml'));
    for (const [lower, original] of names) {
      if (lower.startsWith('environmentvariabledefinitions/') && lower.endsWith('environmentvariabledefinition.xml')) {
        const doc = parseXml(new TextDecoder().decode(files[original]));
        for (const d of children(doc, 'environmentvariabledefinition'))
          content.environmentVariables.push(parseEnvironmentVariable(d));
      }
    }
  } catch (e) {
    if (e instanceof DataverseError) throw e;
    throw new DataverseError(
      400,
      '0x80048060',
      `The solution file is invalid: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return { uniqueName, content };
}
