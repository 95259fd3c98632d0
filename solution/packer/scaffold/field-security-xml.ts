// Field security profiles → the <FieldSecurityProfiles> element of Customizations.xml, in the shape of
// CustomizationsSolution.xsd (FieldSecurityProfilesType / FieldPermissionsType: EntityName, AttributeName,
// CanRead, CanUpdate, CanCreate, in that order). Each profile is a root component of type 70
// (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/solutioncomponent, componenttype
// "Field Security Profile" = 70).
import type { XmlNode } from '../lib/xml.ts';
import type { FieldSecurityProfileDef } from '../model/field-security.ts';
import type { RootComponentRef } from './solution-xml.ts';

export const FIELD_SECURITY_PROFILE_COMPONENT = 70;

export function fieldSecurityProfilesXml(profiles: readonly FieldSecurityProfileDef[]): XmlNode {
  return {
    FieldSecurityProfile: profiles.map((p) => ({
      '@_name': p.name,
      '@_description': p.description,
      '@_fieldsecurityprofileid': `{${p.id}}`,
      FieldPermissions: {
        FieldPermission: [...p.permissions]
          .sort((a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column))
          .map((f) => ({
            EntityName: f.table,
            AttributeName: f.column,
            CanRead: f.canRead,
            CanUpdate: f.canUpdate,
            CanCreate: f.canCreate,
          })),
      },
    })),
  };
}

export function fieldSecurityRoots(profiles: readonly FieldSecurityProfileDef[]): RootComponentRef[] {
  return profiles.map((p) => ({ type: FIELD_SECURITY_PROFILE_COMPONENT, id: p.id, behavior: 0 }));
}
