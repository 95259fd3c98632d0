// TableDef / TableExtension → Entities/<table>/Entity.xml and the relationship XML for its lookups.
import type { Column, KeyDef, LookupColumn, TableDef, TableExtension } from '../model/types.ts';
import type { XmlNode } from '../lib/xml.ts';
import { columnAttributes, systemAttributes } from './attribute-xml.ts';

const label = (description: string): XmlNode => ({ '@_description': description, '@_languagecode': '1033' });

function keysXml(keys: readonly KeyDef[]): XmlNode | undefined {
  if (keys.length === 0) return undefined;
  return {
    EntityKey: keys.map((k) => ({
      Name: k.name,
      LogicalName: k.name,
      IntroducedVersion: '1.0.0.0',
      IsCustomizable: 1,
      displaynames: { displayname: label(k.label) },
      EntityKeyAttributes: { AttributeName: [...k.columns] },
    })),
  };
}

function sortAttributes(list: XmlNode[]): XmlNode[] {
  return [...list].sort((a, b) => String(a['LogicalName']).localeCompare(String(b['LogicalName'])));
}

function customAttributes(table: string, columns: readonly Column[], audit: boolean): XmlNode[] {
  return columns.flatMap((c) => columnAttributes(table, c, audit));
}

export function tableEntityXml(t: TableDef): XmlNode {
  const attributes = sortAttributes([
    ...systemAttributes({ table: t.name, ...t }),
    ...customAttributes(t.name, t.columns, t.audit),
  ]);
  return {
    Entity: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      Name: { '@_LocalizedName': t.label, '@_OriginalName': t.label, '#text': t.name },
      EntityInfo: {
        entity: {
          '@_Name': t.name,
          LocalizedNames: { LocalizedName: label(t.label) },
          LocalizedCollectionNames: { LocalizedCollectionName: label(t.pluralLabel) },
          Descriptions: { Description: label(t.description) },
          attributes: { attribute: attributes },
          EntityKeys: keysXml(t.keys),
          EntitySetName: t.entitySetName,
          IsDuplicateCheckSupported: 0,
          IsBusinessProcessEnabled: 0,
          IsRequiredOffline: 0,
          IsInteractionCentricEnabled: 0,
          IsCollaboration: 0,
          AutoRouteToOwnerQueue: 0,
          IsConnectionsEnabled: 0,
          IsDocumentManagementEnabled: 0,
          AutoCreateAccessTeams: 0,
          IsOneNoteIntegrationEnabled: 0,
          IsKnowledgeManagementEnabled: 0,
          IsSLAEnabled: 0,
          IsDocumentRecommendationsEnabled: 0,
          IsBPFEntity: 0,
          OwnershipTypeMask: t.ownership === 'UserOwned' ? 'UserOwned' : 'OrgOwned',
          IsAuditEnabled: t.audit ? 1 : 0,
          IsRetrieveAuditEnabled: 0,
          IsRetrieveMultipleAuditEnabled: 0,
          IsActivity: 0,
          ActivityTypeMask: '',
          IsActivityParty: 0,
          IsReplicated: 0,
          IsReplicationUserFiltered: 0,
          IsMailMergeEnabled: 0,
          IsVisibleInMobile: 0,
          IsVisibleInMobileClient: 1,
          IsReadOnlyInMobileClient: 0,
          IsOfflineInMobileClient: 0,
          DaysSinceRecordLastModified: 0,
          IsMapiGridEnabled: 1,
          IsReadingPaneEnabled: 1,
          IsQuickCreateEnabled: 0,
          SyncToExternalSearchIndex: 0,
          IntroducedVersion: '1.0.0.0',
          IsCustomizable: 1,
          IsRenameable: 1,
          IsMappable: 1,
          CanModifyAuditSettings: 1,
          CanModifyMobileVisibility: 1,
          CanModifyMobileClientVisibility: 1,
          CanModifyMobileClientReadOnly: 1,
          CanModifyMobileClientOffline: 1,
          CanModifyConnectionSettings: 1,
          CanModifyDuplicateDetectionSettings: 1,
          CanModifyMailMergeSettings: 1,
          CanModifyQueueSettings: 1,
          CanCreateAttributes: 1,
          CanCreateForms: 1,
          CanCreateCharts: 1,
          CanCreateViews: 1,
          CanModifyAdditionalSettings: 1,
          CanEnableSyncToExternalSearchIndex: 1,
          EnforceStateTransitions: 0,
          CanChangeHierarchicalRelationship: 1,
          EntityHelpUrlEnabled: 0,
          ChangeTrackingEnabled: 1,
          CanChangeTrackingBeEnabled: 1,
          IsEnabledForExternalChannels: 0,
          IsMSTeamsIntegrationEnabled: 0,
          IsSolutionAware: 0,
        },
      },
      FormXml: '',
      SavedQueries: '',
      RibbonDiffXml: '',
    },
  };
}

/** A standard table: only our columns and keys; the platform definition stays Microsoft's. */
export function extensionEntityXml(t: TableExtension): XmlNode {
  return {
    Entity: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      Name: { '@_LocalizedName': t.label, '@_OriginalName': t.label, '#text': t.name },
      EntityInfo: {
        // unmodified="1" and no table-level metadata (names, descriptions, entity set, version): what an export
        // writes for a Microsoft table the solution only adds columns to ("Include table metadata" off), so the
        // import never overwrites a customer's renames or adds a managed layer to the table itself.
        entity: {
          '@_Name': t.name,
          '@_unmodified': '1',
          attributes: { attribute: sortAttributes(customAttributes(t.name, t.columns, true)) },
          EntityKeys: keysXml(t.keys),
        },
      },
      FormXml: '',
      SavedQueries: '',
      RibbonDiffXml: '',
    },
  };
}

export interface RelationshipDef {
  name: string;
  referencing: string;
  referenced: string;
  attribute: string;
  cascadeDelete: 'Cascade' | 'RemoveLink' | 'Restrict' | 'NoCascade';
  parental: boolean;
  description: string;
}

export function lookupRelationships(table: string, columns: readonly Column[]): RelationshipDef[] {
  return columns
    .filter((c): c is LookupColumn => c.type === 'lookup')
    .map((c) => ({
      name: `ppc_${c.target}_${table}_${c.name.replace(/^ppc_/, '')}`,
      referencing: table,
      referenced: c.target,
      attribute: c.name,
      cascadeDelete: c.onDelete,
      parental: c.parental ?? false,
      description: c.label,
    }));
}

/** Owner, audit-stamp and currency relationships Dataverse creates with every custom table. */
export function systemRelationships(t: TableDef): RelationshipDef[] {
  const r = (
    name: string,
    referenced: string,
    attribute: string,
    cascadeDelete: RelationshipDef['cascadeDelete'],
    description: string,
  ): RelationshipDef => ({
    name,
    referencing: t.name,
    referenced,
    attribute,
    cascadeDelete,
    parental: false,
    description,
  });
  const out = [
    r(`lk_${t.name}_createdby`, 'systemuser', 'createdby', 'NoCascade', 'Created By'),
    r(`lk_${t.name}_createdonbehalfby`, 'systemuser', 'createdonbehalfby', 'NoCascade', 'Created By (Delegate)'),
    r(`lk_${t.name}_modifiedby`, 'systemuser', 'modifiedby', 'NoCascade', 'Modified By'),
    r(`lk_${t.name}_modifiedonbehalfby`, 'systemuser', 'modifiedonbehalfby', 'NoCascade', 'Modified By (Delegate)'),
  ];
  if (t.ownership === 'UserOwned') {
    out.push(
      r(`user_${t.name}`, 'systemuser', 'owninguser', 'NoCascade', 'Owning User'),
      r(`team_${t.name}`, 'team', 'owningteam', 'NoCascade', 'Owning Team'),
      r(`business_unit_${t.name}`, 'businessunit', 'owningbusinessunit', 'Restrict', 'Owning Business Unit'),
    );
  } else {
    out.push(r(`organization_${t.name}`, 'organization', 'organizationid', 'NoCascade', 'Organization'));
  }
  if (t.hasCurrency)
    out.push(
      r(`TransactionCurrency_${t.name}`, 'transactioncurrency', 'transactioncurrencyid', 'Restrict', 'Currency'),
    );
  return out;
}

export function relationshipXml(r: RelationshipDef): XmlNode {
  const follow = r.parental ? 'Cascade' : 'NoCascade';
  return {
    '@_Name': r.name,
    EntityRelationshipType: 'OneToMany',
    IsCustomizable: 1,
    IntroducedVersion: '1.0.0.0',
    IsHierarchical: r.referencing === r.referenced ? 1 : 0,
    ReferencingEntityName: r.referencing,
    ReferencedEntityName: r.referenced,
    CascadeAssign: follow,
    CascadeDelete: r.cascadeDelete,
    // What Dataverse writes unless a maker sets archive behaviour (long-term retention); the corpus shows NoCascade
    // on parental and referential relationships alike (solution/corpus).
    CascadeArchive: 'NoCascade',
    CascadeReparent: follow,
    CascadeShare: follow,
    CascadeUnshare: follow,
    CascadeRollupView: 'NoCascade',
    IsValidForAdvancedFind: 1,
    ReferencingAttributeName: r.attribute,
    RelationshipDescription: { Descriptions: { Description: label(r.description) } },
    EntityRelationshipRoles: {
      EntityRelationshipRole: [
        {
          NavPaneDisplayOption: 'UseCollectionName',
          NavPaneArea: 'Details',
          NavPaneOrder: 10000,
          NavigationPropertyName: r.attribute,
          RelationshipRoleType: 1,
        },
        { NavigationPropertyName: r.name, RelationshipRoleType: 0 },
      ],
    },
  };
}
