// Table metadata as the emulator needs it: the subset of Dataverse EntityMetadata / AttributeMetadata
// that drives storage, validation, OData naming and $metadata. Built from code (standard tables) and
// from the solution source (custom tables and columns).

export type AttributeType =
  | 'uniqueidentifier'
  | 'string'
  | 'memo'
  | 'integer'
  | 'bigint'
  | 'decimal'
  | 'double'
  | 'money'
  | 'boolean'
  | 'datetime'
  | 'picklist'
  | 'state'
  | 'status'
  | 'lookup'
  | 'customer'
  | 'owner'
  /** EntityName: a table's logical name as text (activitypointer.activitytypecode) */
  | 'entityname';

export type RequiredLevel = 'none' | 'recommended' | 'applicationrequired' | 'systemrequired';

export interface OptionMeta {
  value: number;
  label: string;
  /** status options: the statecode they belong to */
  state?: number;
  /** state options: their default status */
  defaultStatus?: number;
}

export interface AttributeMeta {
  logicalName: string;
  schemaName: string;
  type: AttributeType;
  requiredLevel: RequiredLevel;
  maxLength?: number;
  options?: OptionMeta[];
  /** lookup/customer/owner: target tables */
  targets?: string[];
  isCustom: boolean;
  /** false for columns the platform maintains (createdon, versionnumber, _base twins) */
  validForCreate: boolean;
  validForUpdate: boolean;
  minValue?: number;
  maxValue?: number;
  /** AttributeMetadata.IsSecured: column (field) security applies (data/field-security.ts) */
  isSecured?: boolean;
  /** decimal/double/money: digits after the decimal point (AttributeMetadata.Precision) */
  precision?: number;
  /**
   * SystemRequired picklist/Yes-No columns: the value the platform writes when a create omits the column
   * (the reference page's DefaultFormValue / DefaultValue; e.g. product.productstructure = 1)
   */
  defaultValue?: number;
}

export interface KeyMeta {
  name: string;
  attributes: string[];
}

/** One 1:N relationship; navigation names as the Web API exposes them. */
export interface RelationshipMeta {
  schemaName: string;
  referencedEntity: string;
  referencedAttribute: string;
  referencingEntity: string;
  referencingAttribute: string;
  /** single-valued navigation property on the referencing (child) table */
  referencingNavigation: string;
  /** collection-valued navigation property on the referenced (parent) table */
  referencedNavigation: string;
}

export interface EntityMeta {
  logicalName: string;
  schemaName: string;
  entitySetName: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string;
  objectTypeCode: number;
  isCustom: boolean;
  ownership: 'UserOwned' | 'OrganizationOwned' | 'None';
  attributes: Map<string, AttributeMeta>;
  keys: KeyMeta[];
  displayName: string;
  displayCollectionName: string;
}

export interface Model {
  entities: Map<string, EntityMeta>;
  bySetName: Map<string, EntityMeta>;
  relationships: RelationshipMeta[];
}

export function attr(logicalName: string, type: AttributeType, extra: Partial<AttributeMeta> = {}): AttributeMeta {
  return {
    logicalName,
    schemaName: extra.schemaName ?? logicalName,
    type,
    requiredLevel: 'none',
    isCustom: false,
    validForCreate: true,
    validForUpdate: true,
    ...extra,
  };
}

export function isLookup(a: AttributeMeta): boolean {
  return a.type === 'lookup' || a.type === 'customer' || a.type === 'owner';
}

export function emptyModel(): Model {
  return { entities: new Map(), bySetName: new Map(), relationships: [] };
}

export function addEntity(model: Model, e: EntityMeta): void {
  model.entities.set(e.logicalName, e);
  model.bySetName.set(e.entitySetName, e);
}

/** Navigation properties of a table: single-valued (as child) and collection-valued (as parent). */
export function singleNavs(model: Model, entity: string): RelationshipMeta[] {
  return model.relationships.filter((r) => r.referencingEntity === entity);
}
export function collectionNavs(model: Model, entity: string): RelationshipMeta[] {
  return model.relationships.filter((r) => r.referencedEntity === entity);
}
