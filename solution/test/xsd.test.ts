// Advisory XSD report: the schemas that compile in libxml2 are applied; findings are warnings.
import { describe, expect, it } from '@jest/globals';
import { readTree } from '../packer/source.ts';
import { patchPattern, xsdAdvisory } from '../packer/validate/xsd.ts';
import { SRC_DIR } from './helpers.ts';

describe('XSD advisory', () => {
  it('patches .NET-only regex into XSD regex', () => {
    expect(patchPattern('^[0-9]+$')).toBe('[0-9]+');
    expect(patchPattern('(\\$webresource:|/)(.)+')).toBe('($webresource:|/)(.)+');
    expect(patchPattern('(?![cC][rR][mM]_)([A-Za-z0-9])+')).toBe('([A-Za-z0-9])+');
  });

  it('applies the compiling schemas to the source and reports a broken role as a warning', async () => {
    const tree = await readTree(SRC_DIR);
    const clean = await xsdAdvisory(tree);
    for (const g of ['Solution.xsd', 'Role.xsd', 'Ribbon.xsd', 'SavedQuery.xsd', 'EnvironmentVariable.xsd', 'WebResource.xsd']) expect(clean.applied.has(g)).toBe(true);
    expect(clean.findings.filter((f) => f.file.startsWith('Roles/'))).toEqual([]);
    const role = [...tree.keys()].find((p) => p.startsWith('Roles/'))!;
    tree.set(role, new TextEncoder().encode(new TextDecoder().decode(tree.get(role)).replace('<IsAutoAssigned>0</IsAutoAssigned>', '<IsAutoAssigned>maybe</IsAutoAssigned>')));
    const broken = await xsdAdvisory(tree);
    expect(broken.findings).toContainEqual(expect.objectContaining({ severity: 'warning', file: role, message: expect.stringContaining('IsAutoAssigned') }));
  }, 30_000);
});
