// Converter for Microsoft's table reference pages ("<Table> table/entity reference", one Markdown page per
// standard table in MicrosoftDocs/powerapps-docs and MicrosoftDocs/dynamics-365-customer-engagement,
// published at learn.microsoft.com/power-apps/developer/data-platform/reference/entities/<table>).
// Reads both page layouts Microsoft has used (the 2023 one with bare values and option tables
// `|1|Label||`, and the current one with `code` values, `Label: **x**<br />State:0` option rows and
// `True Label`/`False Label` rows) and turns a page into data the emulator loads (standard-schema.json,
// written by scripts/convert-microsoft-metadata.ts). Pure: no I/O.

export interface MsOption {
  value: number;
  label: string;
  state?: number;
  defaultStatus?: number;
}

export interface MsColumn {
  logicalName: string;
  schemaName: string;
  /** Microsoft's AttributeTypeCode as written on the page (String, Money, Lookup, …) */
  type: string;
  requiredLevel: string;
  validForCreate: boolean;
  validForUpdate: boolean;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  precision?: number;
  targets?: string[];
  options?: MsOption[];
  /** DefaultFormValue (choices) or DefaultValue (Yes/No) as on the page; -1 (no default) is dropped */
  defaultValue?: number;
}

/** A 1:N relationship as listed on a page (either side). */
export interface MsRelationship {
  schemaName: string;
  referencedEntity?: string;
  referencingEntity?: string;
  referencingAttribute?: string;
  /** collection-valued navigation on the referenced (one) side */
  referencedNavigation?: string;
  /** single-valued navigation on the referencing (many) side */
  referencingNavigation?: string;
}

export interface MsTable {
  logicalName: string;
  schemaName: string;
  entitySetName: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string;
  ownership: string;
  columns: MsColumn[];
  relationships: MsRelationship[];
}

type Section = 'properties' | 'writable' | 'readonly' | 'onetomany' | 'manytoone' | 'other';

const clean = (s: string): string => s.replace(/\*\*/g, '').replace(/`/g, '').trim();

function sectionOf(heading: string): Section {
  const h = heading.toLowerCase();
  if (h.startsWith('properties')) return 'properties';
  if (h.startsWith('writable')) return 'writable';
  if (h.startsWith('read-only')) return 'readonly';
  if (h.startsWith('one-to-many')) return 'onetomany';
  if (h.startsWith('many-to-one')) return 'manytoone';
  return 'other';
}

/** Parses one reference page (full or reduced to the rows listed in metadata/SOURCES.md). */
export function parseReferencePage(markdown: string): MsTable {
  const table: MsTable = {
    logicalName: '',
    schemaName: '',
    entitySetName: '',
    primaryIdAttribute: '',
    primaryNameAttribute: '',
    ownership: 'UserOwned',
    columns: [],
    relationships: [],
  };
  let section: Section = 'other';
  let item: { name: string; rows: Map<string, string>; options: string[][] } | undefined;
  const flush = (): void => {
    if (!item) return;
    if (section === 'writable' || section === 'readonly') table.columns.push(toColumn(item, section));
    if (section === 'onetomany' || section === 'manytoone') {
      const r = toRelationship(item, section, table.logicalName);
      if (r) table.relationships.push(r);
    }
    item = undefined;
  };
  for (const raw of markdown.split(/\r?\n/)) {
    const line = raw.trim();
    const h2 = /^##\s+(.*)$/.exec(line);
    if (h2 && !line.startsWith('###')) {
      flush();
      section = sectionOf(h2[1] as string);
      continue;
    }
    const h3 = /^###\s+(?:<a name="[^"]*"><\/a>\s*)?(\S+)\s*$/.exec(line);
    if (h3) {
      flush();
      item = { name: h3[1] as string, rows: new Map(), options: [] };
      continue;
    }
    if (!line.startsWith('|')) continue;
    const cells = line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => clean(c));
    if (cells.length < 2 || /^-+$|^---$/.test(cells[0] as string) || cells[0] === 'Property' || cells[0] === 'Value')
      continue;
    if (section === 'properties') {
      const [k, v] = cells as [string, string];
      if (k === 'EntitySetName') table.entitySetName = v;
      else if (k === 'LogicalName') table.logicalName = v;
      else if (k === 'SchemaName') table.schemaName = v;
      else if (k === 'PrimaryIdAttribute') table.primaryIdAttribute = v;
      else if (k === 'PrimaryNameAttribute') table.primaryNameAttribute = v;
      else if (k === 'OwnershipType') table.ownership = v;
      continue;
    }
    if (!item) continue;
    if (/^-?\d+$/.test(cells[0] as string)) item.options.push(cells);
    else item.rows.set(cells[0] as string, cells[1] as string);
  }
  flush();
  return table;
}

const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));

function parseOption(type: string, cells: string[]): MsOption {
  const value = Number(cells[0]);
  const details = cells[1] ?? '';
  if (details.startsWith('Label:')) {
    // current layout: `Label: **Open**<br />DefaultStatus: 2<br />InvariantName: Open` (markup already cleaned)
    const parts = details.split(/<br\s*\/?>/).map((p) => p.trim());
    const field = (name: string): string | undefined =>
      parts
        .find((p) => p.startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim();
    const label = field('Label') ?? '';
    const state = num(field('State'));
    const defaultStatus = num(field('DefaultStatus'));
    return {
      value,
      label,
      ...(state !== undefined ? { state } : {}),
      ...(defaultStatus !== undefined ? { defaultStatus } : {}),
    };
  }
  // 2023 layout: state `|0|Active|1|Active|`, status `|1|Active|0|`, other `|1|Label|Description|`
  if (type === 'State') return { value, label: details, defaultStatus: Number(cells[2]) };
  if (type === 'Status') return { value, label: details, state: Number(cells[2]) };
  return { value, label: details };
}

function toColumn(item: { name: string; rows: Map<string, string>; options: string[][] }, section: Section): MsColumn {
  const r = item.rows;
  const type = r.get('Type') ?? '';
  const readOnly = section === 'readonly';
  const col: MsColumn = {
    logicalName: r.get('LogicalName') ?? item.name.toLowerCase(),
    schemaName: item.name,
    type,
    requiredLevel: r.get('RequiredLevel') ?? 'None',
    validForCreate: !readOnly && r.get('IsValidForCreate') !== 'False',
    validForUpdate: !readOnly && r.get('IsValidForUpdate') !== 'False',
  };
  const maxLength = num(r.get('MaxLength'));
  if (maxLength !== undefined) col.maxLength = maxLength;
  const minValue = num(r.get('MinValue'));
  if (minValue !== undefined) col.minValue = minValue;
  const maxValue = num(r.get('MaxValue'));
  if (maxValue !== undefined) col.maxValue = maxValue;
  const precision = num(r.get('Precision'));
  if (precision !== undefined) col.precision = precision;
  const dflt = type === 'Boolean' ? r.get('DefaultValue') : r.get('DefaultFormValue');
  if (dflt === 'True' || dflt === 'False') col.defaultValue = dflt === 'True' ? 1 : 0;
  else if (dflt !== undefined && /^\d+$/.test(dflt)) col.defaultValue = Number(dflt);
  const targets = r.get('Targets');
  if (targets)
    col.targets = targets
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  if (type === 'Boolean') {
    // both layouts: `True Label`/`False Label` rows, or an option table with 1 and 0
    const t = r.get('True Label') ?? item.options.find((o) => o[0] === '1')?.[1];
    const f = r.get('False Label') ?? item.options.find((o) => o[0] === '0')?.[1];
    col.options = [
      { value: 1, label: t ?? 'Yes' },
      { value: 0, label: f ?? 'No' },
    ];
  } else if (item.options.length) {
    col.options = item.options.map((o) => parseOption(type, o));
  }
  return col;
}

function toRelationship(
  item: { name: string; rows: Map<string, string> },
  section: Section,
  self: string,
): MsRelationship | undefined {
  const r = item.rows;
  if (section === 'onetomany') {
    if (!r.get('ReferencingEntity')) return undefined;
    return {
      schemaName: item.name,
      referencedEntity: self,
      referencingEntity: r.get('ReferencingEntity'),
      referencingAttribute: r.get('ReferencingAttribute'),
      referencedNavigation: r.get('ReferencedEntityNavigationPropertyName') ?? item.name,
    };
  }
  // many-to-one pages of the 2023 layout only link to the other table's page: nothing to read here
  if (!r.get('ReferencedEntity')) return undefined;
  return {
    schemaName: item.name,
    referencedEntity: r.get('ReferencedEntity'),
    referencingEntity: self,
    referencingAttribute: r.get('ReferencingAttribute'),
    referencingNavigation: r.get('ReferencingEntityNavigationPropertyName'),
  };
}
