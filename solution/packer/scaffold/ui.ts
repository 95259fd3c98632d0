// Forms, views, app, ribbon, web resources, environment variables, webhook endpoint + steps, flows.
import { toXml, type XmlNode } from '../lib/xml.ts';
import type { RootComponentRef } from './solution-xml.ts';

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
      EntityDataProviders: '',
      ...extra,
      Languages: { Language: '1033' },
    },
  });
}

export function uiFiles(): UiScaffold {
  return { files: new Map(), roots: [], customizations: customizationsXml() };
}
