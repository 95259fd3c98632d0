import type { XmlNode } from '../lib/xml.ts';
import { OPTION_VALUE_PREFIX } from '../model/options.ts';

export const SOLUTION_UNIQUE_NAME = 'PayPalConnector';
export const PUBLISHER_PREFIX = 'ppc';

export interface RootComponentRef {
  type: number;
  schemaName?: string;
  id?: string;
  behavior: 0 | 1 | 2;
}

/**
 * A component of another solution this one needs (Dataverse writes one per dependent component; an import into an
 * environment without it fails before anything is changed, naming the missing solution).
 */
export interface MissingDependency {
  /** the required table (component type 1) */
  table: string;
  tableLabel: string;
  /** the solution that ships it, as Dataverse names it: unique name (minimum version) */
  solution: string;
  /** our column on it or pointing at it (component type 2) */
  column: string;
  columnLabel: string;
  /** the table our column belongs to */
  parent: string;
  parentLabel: string;
}

export function solutionXml(
  version: string,
  roots: readonly RootComponentRef[],
  missing: readonly MissingDependency[] = [],
): XmlNode {
  const sorted = [...roots].sort(
    (a, b) => a.type - b.type || (a.schemaName ?? a.id ?? '').localeCompare(b.schemaName ?? b.id ?? ''),
  );
  return {
    ImportExportXml: {
      '@_version': '9.2.24101.200',
      '@_SolutionPackageVersion': '9.2',
      '@_languagecode': '1033',
      '@_generatedBy': 'CrmLive',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      SolutionManifest: {
        UniqueName: SOLUTION_UNIQUE_NAME,
        LocalizedNames: { LocalizedName: { '@_description': 'PayPal Connector', '@_languagecode': '1033' } },
        Descriptions: {
          Description: {
            '@_description':
              'PayPal payments, refunds, disputes, payouts, subscriptions and reconciliation for Dynamics 365.',
            '@_languagecode': '1033',
          },
        },
        Version: version,
        // Unmanaged(0)/Managed(1)/Both(2): the source tree is Both; the packer stamps 0 or 1 per zip.
        Managed: 2,
        Publisher: {
          UniqueName: 'ppcpublisher',
          LocalizedNames: {
            LocalizedName: { '@_description': 'PayPal Connector Publisher', '@_languagecode': '1033' },
          },
          Descriptions: '',
          EMailAddress: { '@_xsi:nil': 'true' },
          SupportingWebsiteUrl: { '@_xsi:nil': 'true' },
          CustomizationPrefix: PUBLISHER_PREFIX,
          CustomizationOptionValuePrefix: OPTION_VALUE_PREFIX,
          Addresses: '',
        },
        RootComponents: {
          RootComponent: sorted.map((r) => ({
            '@_type': r.type,
            ...(r.id ? { '@_id': `{${r.id}}` } : {}),
            ...(r.schemaName ? { '@_schemaName': r.schemaName } : {}),
            '@_behavior': r.behavior,
          })),
        },
        MissingDependencies: missing.length
          ? {
              // as current exports write them (solution/corpus/coe-starter-kit): no key attributes
              MissingDependency: missing.map((m) => ({
                Required: {
                  '@_type': '1',
                  '@_schemaName': m.table,
                  '@_displayName': m.tableLabel,
                  '@_solution': m.solution,
                },
                Dependent: {
                  '@_type': '2',
                  '@_schemaName': m.column,
                  '@_displayName': m.columnLabel,
                  '@_parentDisplayName': m.parentLabel,
                },
              })),
            }
          : '',
      },
    },
  };
}
