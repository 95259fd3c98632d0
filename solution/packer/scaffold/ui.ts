// Forms, views, app, ribbon, web resources, environment variables, webhook endpoint + steps, flows.
import { toXml, type XmlNode } from '../lib/xml.ts';
import { customTables } from '../model/tables.ts';
import { tableExtensions } from '../model/extensions.ts';
import { stableGuid } from '../model/guid.ts';
import type { RootComponentRef } from './solution-xml.ts';
import { customTableForm, extensionForm, formXml } from './forms.ts';
import { extensionViews, viewsFor, viewXml } from './views.ts';
import { APP_UNIQUE_NAME, appModuleXml, siteMapXml } from './app.ts';
import {
  CREDITMEMO_JS,
  INTEGRATIONEVENT_JS,
  PAYOUT_JS,
  PAYOUTITEM_JS,
  RECONCILIATIONRUN_JS,
  SUBSCRIPTION_JS,
  creditMemoRibbon,
  integrationEventRibbon,
  payoutBatchRibbon,
  payoutItemRibbon,
  reconciliationRunRibbon,
  subscriptionRibbon,
} from './ribbon.ts';
import { envVars, envVarXml, SERVICE_ENDPOINT_ID, serviceEndpointXml, stepId, steps, stepXml } from './integration.ts';
import { connectionReferencesXml, flowMetaXml, flows } from './flows.ts';
import { fieldSecurityProfilesXml, fieldSecurityRoots } from './field-security-xml.ts';
import { fieldSecurityProfiles } from '../model/field-security.ts';

export interface UiScaffold {
  files: Map<string, string>;
  roots: RootComponentRef[];
  customizations: string;
}

export function customizationsXml(extra: XmlNode = {}): string {
  return toXml({
    ImportExportXml: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_OrganizationVersion': '9.2.24101.200',
      '@_OrganizationSchemaType': 'Standard',
      Entities: '',
      Roles: '',
      Workflows: '',
      FieldSecurityProfiles: '',
      Templates: '',
      EntityMaps: '',
      EntityRelationships: '',
      OrganizationSettings: '',
      optionsets: '',
      CustomControls: '',
      ...extra,
      EntityDataProviders: '',
      connectionreferences: connectionReferencesXml(),
      Languages: { Language: '1033' },
    },
  });
}

export const WEB_RESOURCES: { name: string; displayName: string; description: string }[] = [
  {
    name: PAYOUT_JS,
    displayName: 'Payout batch command bar',
    description: 'Approve / Reject payout batch (four-eyes).',
  },
  { name: CREDITMEMO_JS, displayName: 'Credit memo command bar', description: 'Request refund from a credit memo.' },
  {
    name: INTEGRATIONEVENT_JS,
    displayName: 'Integration event command bar',
    description: 'Retry a failed integration event (also Retry refund on a failed credit memo).',
  },
  {
    name: SUBSCRIPTION_JS,
    displayName: 'PayPal subscription command bar',
    description: 'Cancel, Suspend, Activate, Collect outstanding balance and Reactivate a PayPal subscription.',
  },
  {
    name: RECONCILIATIONRUN_JS,
    displayName: 'Reconciliation run command bar',
    description: 'Reconcile now: run a day (optionally one currency) again through the connector.',
  },
  {
    name: PAYOUTITEM_JS,
    displayName: 'Payout item command bar',
    description: 'Cancel an unclaimed payout item (PayPal returns the money).',
  },
];

export function webResourceMetaXml(w: (typeof WEB_RESOURCES)[number]): XmlNode {
  return {
    WebResource: {
      WebResourceId: `{${stableGuid(`webresource:${w.name}`)}}`,
      Name: w.name,
      DisplayName: w.displayName,
      Description: w.description,
      WebResourceType: 3, // JScript
      IntroducedVersion: '1.0.0.0',
      IsEnabledForMobileClient: 1,
      IsAvailableForMobileOffline: 0,
      // Managed properties: the command bar depends on these scripts.
      IsCustomizable: 0,
      CanBeDeleted: 0,
      IsHidden: 0,
      FileName: `/WebResources/${w.name}`,
    },
  };
}

export function uiFiles(): UiScaffold {
  const files = new Map<string, string>();
  const roots: RootComponentRef[] = [];
  const put = (path: string, doc: XmlNode): void => {
    files.set(path, toXml(doc));
  };
  const formIds: string[] = [];
  const viewIds: string[] = [];

  for (const t of customTables) {
    const form = customTableForm(t);
    put(`Entities/${t.name}/FormXml/main/{${form.id}}.xml`, formXml(form));
    formIds.push(form.id);
    for (const v of viewsFor(t)) {
      put(`Entities/${t.name}/SavedQueries/{${v.id}}.xml`, viewXml(t, v));
      viewIds.push(v.id);
    }
  }
  for (const t of tableExtensions) {
    const form = extensionForm(t);
    put(`Entities/${t.name}/FormXml/main/{${form.id}}.xml`, formXml(form));
    formIds.push(form.id);
    roots.push({ type: 60, id: form.id, behavior: 0 });
    for (const v of extensionViews(t.name)) {
      put(`Entities/${t.name}/SavedQueries/{${v.id}}.xml`, viewXml(v.owner, v));
      viewIds.push(v.id);
      roots.push({ type: 26, id: v.id, behavior: 0 });
    }
  }
  put('Entities/ppc_payoutbatch/RibbonDiff.xml', payoutBatchRibbon());
  put('Entities/ppc_creditmemo/RibbonDiff.xml', creditMemoRibbon());
  put('Entities/ppc_integrationevent/RibbonDiff.xml', integrationEventRibbon());
  put('Entities/ppc_subscription/RibbonDiff.xml', subscriptionRibbon());
  put('Entities/ppc_reconciliationrun/RibbonDiff.xml', reconciliationRunRibbon());
  put('Entities/ppc_payoutitem/RibbonDiff.xml', payoutItemRibbon());

  for (const w of WEB_RESOURCES) {
    put(`WebResources/${w.name}.data.xml`, webResourceMetaXml(w));
    roots.push({ type: 61, schemaName: w.name, behavior: 0 });
  }
  put(`AppModuleSiteMaps/${APP_UNIQUE_NAME}/AppModuleSiteMap.xml`, siteMapXml());
  put(`AppModules/${APP_UNIQUE_NAME}/AppModule.xml`, appModuleXml(formIds, viewIds));
  roots.push(
    { type: 62, schemaName: APP_UNIQUE_NAME, behavior: 0 },
    { type: 80, schemaName: APP_UNIQUE_NAME, behavior: 0 },
  );

  for (const v of envVars) {
    put(`environmentvariabledefinitions/${v.schemaName}/environmentvariabledefinition.xml`, envVarXml(v));
    roots.push({ type: 380, schemaName: v.schemaName, behavior: 0 });
  }
  for (const s of steps) {
    put(`SdkMessageProcessingSteps/{${stepId(s)}}.xml`, stepXml(s));
    roots.push({ type: 92, id: stepId(s), behavior: 0 });
  }
  roots.push({ type: 95, id: SERVICE_ENDPOINT_ID, behavior: 0 });
  for (const f of flows) {
    files.set(`Workflows/${f.fileBase}.json`, `${JSON.stringify(f.definition, null, 2)}\n`);
    put(`Workflows/${f.fileBase}.json.data.xml`, flowMetaXml(f));
    roots.push({ type: 29, id: f.id, behavior: 0 });
  }
  roots.push(...fieldSecurityRoots(fieldSecurityProfiles));
  return {
    files,
    roots,
    // FieldSecurityProfiles keeps its place in the sequence (the key exists in customizationsXml's base object).
    customizations: customizationsXml({
      FieldSecurityProfiles: fieldSecurityProfilesXml(fieldSecurityProfiles),
      ServiceEndpoints: serviceEndpointXml(),
    }),
  };
}
