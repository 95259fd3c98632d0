// Column (field) security for the four-eyes record: the dates a request and an approval were taken are written
// by the proxy's application user only. Microsoft: "When a column is secured, only people who have the system
// administrator security role can read or set the value"; everyone else gets access through a field security
// profile, whose field permissions say per column whether its users and teams can read, set on create and update
// it (learn.microsoft.com/power-apps/developer/data-platform/column-level-security#provide-access-to-secured-columns).
//
// Lookup columns cannot be secured ("Columns that can't be secured include: … Lookup columns",
// learn.microsoft.com/power-platform/admin/field-level-security), so Requested By / Approved By stay ordinary
// lookups: the proxy keeps the requester in its own store and overwrites both lookups; it never reads them back
// as identities. Profiles are associated with users and teams, never with security roles, and a solution cannot
// ship those associations (users differ per environment): the admin adds the application user after import.
import { stableGuid } from './guid.ts';
import { customTables } from './tables.ts';

/** `field_security_permission_type`: 0 Not Allowed, 4 Allowed (column-level-security#manage-access-using-field-security-profiles). */
export const FieldPermissionType = { NotAllowed: 0, Allowed: 4 } as const;
export type FieldPermissionValue = (typeof FieldPermissionType)[keyof typeof FieldPermissionType];

export interface FieldPermissionDef {
  table: string;
  column: string;
  canRead: FieldPermissionValue;
  canCreate: FieldPermissionValue;
  canUpdate: FieldPermissionValue;
}

export interface FieldSecurityProfileDef {
  id: string;
  name: string;
  description: string;
  permissions: readonly FieldPermissionDef[];
}

/** Every secured column of the solution's tables, as `[table, column]`. */
export const securedColumns: readonly (readonly [string, string])[] = customTables.flatMap((t) =>
  t.columns.filter((c) => c.secured).map((c) => [t.name, c.name] as const),
);

const { Allowed, NotAllowed } = FieldPermissionType;

export const PROFILE_INTEGRATION = 'PayPal Integration Service';
export const PROFILE_RECORD_READER = 'PayPal Approval Record Reader';

export const fieldSecurityProfiles: readonly FieldSecurityProfileDef[] = [
  {
    id: stableGuid('fieldsecurityprofile:PayPal Integration Service'),
    name: PROFILE_INTEGRATION,
    description:
      "For the proxy's application user only: reads and writes the four-eyes record columns (when a refund or payout " +
      'was requested and approved). Add the application user after import; no human belongs here.',
    permissions: securedColumns.map(([table, column]) => ({
      table,
      column,
      canRead: Allowed,
      canCreate: Allowed,
      canUpdate: Allowed,
    })),
  },
  {
    id: stableGuid('fieldsecurityprofile:PayPal Approval Record Reader'),
    name: PROFILE_RECORD_READER,
    description:
      'Read-only access to the four-eyes record columns for the people who review them (add the teams or users of ' +
      'PayPal Finance, Refund Agent and Payout Approver). Without it the columns show as secured (********).',
    permissions: securedColumns.map(([table, column]) => ({
      table,
      column,
      canRead: Allowed,
      canCreate: NotAllowed,
      canUpdate: NotAllowed,
    })),
  },
];
