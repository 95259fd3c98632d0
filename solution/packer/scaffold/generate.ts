// Scaffold: writes the model-derived parts of solution/src (tables, relationships, roles, Solution.xml…).
// solution/src is the source the packer reads; this generator keeps it consistent with packer/model, and
// test/scaffold.test.ts fails when someone edits one without the other.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { toXml, type XmlNode } from '../lib/xml.ts';
import { customTables } from '../model/tables.ts';
import { tableExtensions } from '../model/extensions.ts';
import { roles } from '../model/roles.ts';
import {
  extensionEntityXml,
  lookupRelationships,
  relationshipXml,
  systemRelationships,
  tableEntityXml,
  type RelationshipDef,
} from './entity-xml.ts';
import { roleXml } from './role-xml.ts';
import { solutionXml, type MissingDependency, type RootComponentRef } from './solution-xml.ts';
import { uiFiles } from './ui.ts';
import { renderReadme } from './readme.ts';

export const SOLUTION_VERSION = '1.0.0.0';

/** Tables of Dynamics 365 Sales (not in a plain Dataverse environment) and the solution that ships them. */
export const SALES_TABLES: Readonly<Record<string, string>> = {
  salesorder: 'Order',
  salesorderdetail: 'Order Product',
  invoice: 'Invoice',
  invoicedetail: 'Invoice Product',
};
export const SALES_SOLUTION = 'Sales (9.0.0.0)';

/** Our columns on Sales tables and our lookups to them: each needs Dynamics 365 Sales installed. */
export function salesDependencies(): MissingDependency[] {
  const out: MissingDependency[] = [];
  for (const t of tableExtensions)
    if (SALES_TABLES[t.name])
      for (const c of t.columns)
        out.push({
          table: t.name,
          tableLabel: SALES_TABLES[t.name]!,
          solution: SALES_SOLUTION,
          column: c.name,
          columnLabel: c.label,
          parent: t.name,
          parentLabel: t.label,
        });
  for (const t of customTables)
    for (const c of t.columns)
      if (c.type === 'lookup' && SALES_TABLES[c.target])
        out.push({
          table: c.target,
          tableLabel: SALES_TABLES[c.target]!,
          solution: SALES_SOLUTION,
          column: c.name,
          columnLabel: c.label,
          parent: t.name,
          parentLabel: t.label,
        });
  return out.sort((a, b) => `${a.table}.${a.parent}.${a.column}`.localeCompare(`${b.table}.${b.parent}.${b.column}`));
}

/** Every file the scaffold owns: path relative to solution/src → content. */
export function scaffoldFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const roots: RootComponentRef[] = [];
  const put = (path: string, doc: XmlNode | string): void => {
    files.set(path, typeof doc === 'string' ? doc : toXml(doc));
  };

  const relationships: RelationshipDef[] = [];
  for (const t of customTables) {
    put(`Entities/${t.name}/Entity.xml`, tableEntityXml(t));
    roots.push({ type: 1, schemaName: t.name, behavior: 0 });
    relationships.push(...systemRelationships(t), ...lookupRelationships(t.name, t.columns));
  }
  for (const t of tableExtensions) {
    put(`Entities/${t.name}/Entity.xml`, extensionEntityXml(t));
    roots.push({ type: 1, schemaName: t.name, behavior: 1 });
    relationships.push(...lookupRelationships(t.name, t.columns));
  }
  relationships.sort((a, b) => a.name.localeCompare(b.name));
  put('Other/Relationships.xml', {
    EntityRelationships: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      EntityRelationship: relationships.map((r) => ({ '@_Name': r.name })),
    },
  });
  const byReferenced = new Map<string, RelationshipDef[]>();
  for (const r of relationships) byReferenced.set(r.referenced, [...(byReferenced.get(r.referenced) ?? []), r]);
  for (const [referenced, list] of [...byReferenced].sort(([a], [b]) => a.localeCompare(b))) {
    put(`Other/Relationships/${referenced}.xml`, {
      EntityRelationships: {
        '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        EntityRelationship: list.map(relationshipXml),
      },
    });
  }

  for (const role of roles) {
    put(`Roles/${role.name}.xml`, roleXml(role));
    roots.push({ type: 20, id: role.id, behavior: 0 });
  }

  const ui = uiFiles();
  for (const [path, content] of ui.files) files.set(path, content);
  roots.push(...ui.roots);

  put('Other/Solution.xml', solutionXml(SOLUTION_VERSION, roots, salesDependencies()));
  put('Other/Customizations.xml', ui.customizations);
  return files;
}

export async function writeScaffold(srcDir: string): Promise<string[]> {
  const changed: string[] = [];
  for (const [rel, content] of scaffoldFiles()) {
    const path = join(srcDir, rel);
    const old = await readFile(path, 'utf8').catch(() => undefined);
    if (old === content) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    changed.push(rel);
  }
  return changed;
}

if (import.meta.main) {
  const srcDir = join(import.meta.dirname, '..', '..', 'src');
  const changed = await writeScaffold(srcDir);
  const readmePath = join(import.meta.dirname, '..', '..', 'README.md');
  const readme = await readFile(readmePath, 'utf8').catch(() => '# Dataverse solution\n');
  const next = await renderReadme(readme, readmePath);
  if (next !== readme) {
    await writeFile(readmePath, next);
    changed.push('../README.md');
  }
  console.log(
    changed.length
      ? `scaffold: wrote ${changed.length} file(s)\n  ${changed.join('\n  ')}`
      : 'scaffold: solution/src is up to date',
  );
}
