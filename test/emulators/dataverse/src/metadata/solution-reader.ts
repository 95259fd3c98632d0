// Reads our solution in Microsoft's formats: the SolutionPackager unpacked tree (solution/src:
// Entities/<t>/Entity.xml, Other/Relationships/*.xml, Roles/*.xml, environmentvariabledefinitions/…)
// and the packed customizations.xml. Element names follow CustomizationsSolution.xsd 9.0.0.2090
// (dataverse.md §2.4). The result is plain data; applying it to the model is model-builder's job.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { attr } from './model.ts';
import type { AttributeMeta, AttributeType, KeyMeta, OptionMeta, RequiredLevel } from './model.ts';
import { attrOf, child, children, firstLabel, parseXml, text } from './xml.ts';
import type { XmlNode } from './xml.ts';
import { parseEnvironmentVariable, parseRole, parseServiceEndpoint, parseStep } from './solution-components.ts';
import { parseFieldSecurityProfiles, type FieldSecurityProfile } from '../data/field-security.ts';
import type {
  SolutionEnvironmentVariable,
  SolutionRole,
  SolutionServiceEndpoint,
  SolutionStep,
} from './solution-components.ts';

export { parseEnvironmentVariable, parseRole, parseServiceEndpoint, parseStep };
export type { SolutionEnvironmentVariable, SolutionRole, SolutionServiceEndpoint, SolutionStep };

export interface SolutionEntity {
  logicalName: string;
  entitySetName?: string;
  displayName?: string;
  displayCollectionName?: string;
  ownership?: 'UserOwned' | 'OrganizationOwned' | 'None';
  primaryIdAttribute?: string;
  primaryNameAttribute?: string;
  attributes: AttributeMeta[];
  keys: KeyMeta[];
}

export interface SolutionRelationship {
  name: string;
  referencingEntity: string;
  referencedEntity: string;
  referencingAttribute: string;
  referencingNavigation?: string;
  referencedNavigation?: string;
}

export interface SolutionContent {
  entities: SolutionEntity[];
  relationships: SolutionRelationship[];
  roles: SolutionRole[];
  serviceEndpoints: SolutionServiceEndpoint[];
  steps: SolutionStep[];
  environmentVariables: SolutionEnvironmentVariable[];
  fieldSecurityProfiles: FieldSecurityProfile[];
}

export function emptySolution(): SolutionContent {
  return {
    entities: [],
    relationships: [],
    roles: [],
    serviceEndpoints: [],
    steps: [],
    environmentVariables: [],
    fieldSecurityProfiles: [],
  };
}

const TYPE_MAP: Record<string, AttributeType> = {
  primarykey: 'uniqueidentifier',
  uniqueidentifier: 'uniqueidentifier',
  nvarchar: 'string',
  varchar: 'string',
  char: 'string',
  nchar: 'string',
  ntext: 'memo',
  text: 'memo',
  int: 'integer',
  smallint: 'integer',
  tinyint: 'integer',
  bigint: 'bigint',
  decimal: 'decimal',
  numeric: 'decimal',
  float: 'double',
  real: 'double',
  money: 'money',
  smallmoney: 'money',
  bit: 'boolean',
  datetime: 'datetime',
  smalldatetime: 'datetime',
  picklist: 'picklist',
  state: 'state',
  status: 'status',
  lookup: 'lookup',
  customer: 'customer',
  owner: 'owner',
};

const REQUIRED: Record<string, RequiredLevel> = {
  none: 'none',
  recommended: 'recommended',
  required: 'applicationrequired',
  applicationrequired: 'applicationrequired',
  systemrequired: 'systemrequired',
};

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function lower(v: string | undefined): string | undefined {
  return v?.toLowerCase();
}

function parseOptions(os: XmlNode | undefined): OptionMeta[] | undefined {
  if (!os) return undefined;
  const opts: OptionMeta[] = [];
  for (const o of children(child(os, 'options'), 'option')) {
    opts.push({
      value: Number(attrOf(o, 'value')),
      label: firstLabel(o, 'labels', 'label') ?? attrOf(o, 'value') ?? '',
    });
  }
  for (const st of children(child(os, 'states'), 'state')) {
    opts.push({
      value: Number(attrOf(st, 'value')),
      label: firstLabel(st, 'labels', 'label') ?? attrOf(st, 'invariantname') ?? '',
      defaultStatus: num(attrOf(st, 'defaultstatus')),
    });
  }
  for (const st of children(child(os, 'statuses'), 'status')) {
    opts.push({
      value: Number(attrOf(st, 'value')),
      label: firstLabel(st, 'labels', 'label') ?? '',
      state: num(attrOf(st, 'state')),
    });
  }
  return opts.length ? opts : undefined;
}

function parseAttribute(a: XmlNode): AttributeMeta | undefined {
  const rawType = lower(text(a, 'Type'));
  const type = rawType ? TYPE_MAP[rawType] : undefined;
  const logicalName = lower(text(a, 'LogicalName') ?? text(a, 'Name'));
  if (!type || !logicalName) return undefined;
  const schemaName = attrOf(a, 'PhysicalName') ?? text(a, 'Name') ?? logicalName;
  const targets = children(child(a, 'LookupTypes'), 'LookupType')
    .map((t) => lower(text(t)))
    .filter((t): t is string => !!t);
  const flag = (n: string): boolean => text(a, n) !== '0';
  return attr(logicalName, type, {
    schemaName,
    requiredLevel: REQUIRED[lower(text(a, 'RequiredLevel')) ?? 'none'] ?? 'none',
    maxLength: num(text(a, 'MaxLength')),
    minValue: num(text(a, 'MinValue')),
    maxValue: num(text(a, 'MaxValue')),
    ...(num(text(a, 'Accuracy')) !== undefined ? { precision: num(text(a, 'Accuracy')) } : {}),
    options: parseOptions(child(a, 'optionset')),
    targets: targets.length ? targets : type === 'owner' ? ['systemuser'] : undefined,
    isCustom: text(a, 'IsCustomField') === '1',
    validForCreate: type === 'uniqueidentifier' ? true : flag('ValidForCreateApi'),
    validForUpdate: flag('ValidForUpdateApi'),
    ...(text(a, 'IsSecured') === '1' ? { isSecured: true } : {}),
  });
}

/** One `<Entity>` element (root of Entity.xml, or a child of customizations.xml `<Entities>`). */
export function parseEntity(entityEl: XmlNode): SolutionEntity | undefined {
  const info = child(child(entityEl, 'EntityInfo'), 'entity');
  const logicalName = lower(attrOf(info, 'Name') ?? text(entityEl, 'Name'));
  if (!info || !logicalName) return undefined;
  const attributes: AttributeMeta[] = [];
  let primaryIdAttribute: string | undefined;
  let primaryNameAttribute: string | undefined;
  for (const a of children(child(info, 'attributes'), 'attribute')) {
    const meta = parseAttribute(a);
    if (!meta) continue;
    if (lower(text(a, 'Type')) === 'primarykey') primaryIdAttribute = meta.logicalName;
    if ((text(a, 'DisplayMask') ?? '').split('|').includes('PrimaryName')) primaryNameAttribute = meta.logicalName;
    attributes.push(meta);
  }
  const keys: KeyMeta[] = children(child(info, 'EntityKeys'), 'EntityKey').map((k) => ({
    name: lower(text(k, 'LogicalName') ?? text(k, 'Name')) ?? '',
    attributes: children(child(k, 'EntityKeyAttributes'), 'AttributeName')
      .map((n) => lower(text(n)))
      .filter((n): n is string => !!n),
  }));
  const ownership = text(info, 'OwnershipTypeMask');
  return {
    logicalName,
    entitySetName: lower(text(info, 'EntitySetName')),
    displayName:
      firstLabel(info, 'LocalizedNames', 'LocalizedName') ?? attrOf(child(entityEl, 'Name'), 'LocalizedName'),
    displayCollectionName: firstLabel(info, 'LocalizedCollectionNames', 'LocalizedCollectionName'),
    ownership:
      ownership === 'OrgOwned' || ownership === 'OrganizationOwned'
        ? 'OrganizationOwned'
        : ownership === 'None'
          ? 'None'
          : ownership
            ? 'UserOwned'
            : undefined,
    primaryIdAttribute,
    primaryNameAttribute,
    attributes,
    keys: keys.filter((k) => k.name && k.attributes.length),
  };
}

export function parseRelationships(root: XmlNode | undefined): SolutionRelationship[] {
  const out: SolutionRelationship[] = [];
  for (const r of children(root, 'EntityRelationship')) {
    if ((text(r, 'EntityRelationshipType') ?? 'OneToMany') !== 'OneToMany') continue;
    const roles = children(child(r, 'EntityRelationshipRoles'), 'EntityRelationshipRole');
    const nav = (roleType: string): string | undefined =>
      text(
        roles.find((x) => text(x, 'RelationshipRoleType') === roleType),
        'NavigationPropertyName',
      );
    const referencingEntity = lower(text(r, 'ReferencingEntityName'));
    const referencedEntity = lower(text(r, 'ReferencedEntityName'));
    const referencingAttribute = lower(text(r, 'ReferencingAttributeName'));
    if (!referencingEntity || !referencedEntity || !referencingAttribute) continue;
    out.push({
      name: attrOf(r, 'Name') ?? `${referencedEntity}_${referencingEntity}`,
      referencingEntity,
      referencedEntity,
      referencingAttribute,
      referencingNavigation: nav('1'),
      referencedNavigation: nav('0'),
    });
  }
  return out;
}

/** Components in a customizations.xml document (packed zip or Other/Customizations.xml). */
export function readCustomizations(xml: string): SolutionContent {
  const root = child(parseXml(xml), 'ImportExportXml');
  if (!root) throw new Error('customizations.xml has no ImportExportXml root element');
  const out = emptySolution();
  for (const e of children(child(root, 'Entities'), 'Entity')) {
    const parsed = parseEntity(e);
    if (parsed) out.entities.push(parsed);
  }
  out.relationships.push(...parseRelationships(child(root, 'EntityRelationships')));
  out.roles.push(...children(child(root, 'Roles'), 'Role').map(parseRole));
  out.fieldSecurityProfiles.push(...parseFieldSecurityProfiles(child(root, 'FieldSecurityProfiles')));
  out.serviceEndpoints.push(...children(child(root, 'ServiceEndpoints'), 'ServiceEndpoint').map(parseServiceEndpoint));
  out.steps.push(...children(child(root, 'SdkMessageProcessingSteps'), 'SdkMessageProcessingStep').map(parseStep));
  return out;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function listFiles(dir: string, suffix: string): Promise<string[]> {
  if (!(await exists(dir))) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(p, suffix)));
    else if (entry.name.toLowerCase().endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

/** Reads an unpacked solution folder (SolutionPackager layout). A missing folder yields an empty solution. */
export async function readUnpackedSolution(dir: string): Promise<SolutionContent> {
  const out = emptySolution();
  const custPath = join(dir, 'Other', 'Customizations.xml');
  if (await exists(custPath)) {
    const c = readCustomizations(await readFile(custPath, 'utf8'));
    merge(out, c);
  }
  for (const f of await listFiles(join(dir, 'Entities'), 'entity.xml')) {
    const e = child(parseXml(await readFile(f, 'utf8')), 'Entity');
    const parsed = e ? parseEntity(e) : undefined;
    if (parsed) out.entities.push(parsed);
  }
  const relFiles = [...(await listFiles(join(dir, 'Other', 'Relationships'), '.xml'))];
  if (await exists(join(dir, 'Other', 'Relationships.xml'))) relFiles.push(join(dir, 'Other', 'Relationships.xml'));
  for (const f of relFiles) {
    out.relationships.push(...parseRelationships(child(parseXml(await readFile(f, 'utf8')), 'EntityRelationships')));
  }
  for (const f of await listFiles(join(dir, 'Roles'), '.xml')) {
    for (const r of children(parseXml(await readFile(f, 'utf8')), 'Role')) out.roles.push(parseRole(r));
  }
  for (const f of await listFiles(join(dir, 'SdkMessageProcessingSteps'), '.xml')) {
    for (const s of children(parseXml(await readFile(f, 'utf8')), 'SdkMessageProcessingStep'))
      out.steps.push(parseStep(s));
  }
  for (const f of await listFiles(join(dir, 'ServiceEndpoints'), '.xml')) {
    for (const s of children(parseXml(await readFile(f, 'utf8')), 'ServiceEndpoint'))
      out.serviceEndpoints.push(parseServiceEndpoint(s));
  }
  for (const f of await listFiles(join(dir, 'environmentvariabledefinitions'), '.xml')) {
    for (const d of children(parseXml(await readFile(f, 'utf8')), 'environmentvariabledefinition')) {
      out.environmentVariables.push(parseEnvironmentVariable(d));
    }
  }
  return out;
}

export function merge(into: SolutionContent, from: SolutionContent): void {
  into.entities.push(...from.entities);
  into.relationships.push(...from.relationships);
  into.roles.push(...from.roles);
  into.serviceEndpoints.push(...from.serviceEndpoints);
  into.steps.push(...from.steps);
  into.environmentVariables.push(...from.environmentVariables);
  into.fieldSecurityProfiles.push(...from.fieldSecurityProfiles);
}
