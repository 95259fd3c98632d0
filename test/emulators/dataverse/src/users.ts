// Seeded identities. The application user is what the proxy authenticates as (client credentials);
// the interactive users are for the PCF form harness, each with the roles their job needs.

/** Client credentials of the proxy's application user (Entra app registration stand-in). */
export const EMULATOR_CLIENT_ID = 'emulator-dataverse-client';
export const EMULATOR_CLIENT_SECRET = 'emulator-dataverse-secret';
/** Default tenant id used in the authority URL `${url}/${EMULATOR_TENANT_ID}`. */
export const EMULATOR_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface SeedUser {
  key: string;
  systemuserid: string;
  azureObjectId: string;
  fullname: string;
  email: string;
  roles: string[];
  /** field security profiles the user is added to (by name; the admin's step after importing the solution) */
  fieldSecurityProfiles?: string[];
  applicationId?: string;
  clientId?: string;
  clientSecret?: string;
}

export const APPLICATION_USER: SeedUser = {
  key: 'integration',
  systemuserid: '5f0c7a6e-0000-4000-8000-000000000001',
  azureObjectId: '5f0c7a6e-0000-4000-8000-0000000000a1',
  applicationId: '5f0c7a6e-0000-4000-8000-0000000000c1',
  fullname: '# PayPal Integration',
  email: 'paypal-integration@emulator.local',
  roles: ['Integration Service'],
  fieldSecurityProfiles: ['PayPal Integration Service'],
  clientId: EMULATOR_CLIENT_ID,
  clientSecret: EMULATOR_CLIENT_SECRET,
};

/** Interactive users: get a token with `POST /_emulator/token {"user":"refundagent"}`. */
export const INTERACTIVE_USERS: SeedUser[] = [
  {
    key: 'admin',
    systemuserid: '5f0c7a6e-0000-4000-8000-000000000002',
    azureObjectId: '5f0c7a6e-0000-4000-8000-0000000000a2',
    fullname: 'Avery Admin',
    email: 'admin@emulator.local',
    roles: ['System Administrator'],
  },
  {
    key: 'salesuser',
    systemuserid: '5f0c7a6e-0000-4000-8000-000000000003',
    azureObjectId: '5f0c7a6e-0000-4000-8000-0000000000a3',
    fullname: 'Sam Sales',
    email: 'sales@emulator.local',
    roles: ['Salesperson'],
  },
  {
    key: 'refundagent',
    systemuserid: '5f0c7a6e-0000-4000-8000-000000000004',
    azureObjectId: '5f0c7a6e-0000-4000-8000-0000000000a4',
    fullname: 'Riley Refunds',
    email: 'refunds@emulator.local',
    roles: ['Salesperson', 'Refund Agent'],
  },
  {
    key: 'payoutapprover',
    systemuserid: '5f0c7a6e-0000-4000-8000-000000000005',
    azureObjectId: '5f0c7a6e-0000-4000-8000-0000000000a5',
    fullname: 'Parker Payouts',
    email: 'payouts@emulator.local',
    roles: ['Salesperson', 'Payout Approver'],
  },
  {
    key: 'financeuser',
    systemuserid: '5f0c7a6e-0000-4000-8000-000000000006',
    azureObjectId: '5f0c7a6e-0000-4000-8000-0000000000a6',
    fullname: 'Finley Finance',
    email: 'finance@emulator.local',
    roles: ['Salesperson', 'PayPal Finance'],
  },
  {
    // Holds both sides of a refund's four-eyes: the proxy must still refuse approving their own request.
    key: 'dualrole',
    systemuserid: '5f0c7a6e-0000-4000-8000-000000000008',
    azureObjectId: '5f0c7a6e-0000-4000-8000-0000000000a8',
    fullname: 'Dana Dualrole',
    email: 'dualrole@emulator.local',
    roles: ['Salesperson', 'Refund Agent', 'PayPal Finance'],
  },
  {
    key: 'noroles',
    systemuserid: '5f0c7a6e-0000-4000-8000-000000000007',
    azureObjectId: '5f0c7a6e-0000-4000-8000-0000000000a7',
    fullname: 'Nora Noroles',
    email: 'noroles@emulator.local',
    roles: [],
  },
];

/**
 * Further application users, as an admin adds them for throughput: Dataverse's service protection limits are
 * per user (api-limits), so an integration may run as several application users, each an Entra app
 * registration with its own client credentials, added in the Power Platform admin center and given the same
 * security role (https://learn.microsoft.com/power-platform/admin/manage-application-users). Pass them as
 * `users` to createServer; user n (2, 3, …) authenticates as `${EMULATOR_CLIENT_ID}-n`.
 */
export function applicationUsers(count: number): SeedUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 2;
    const hex = n.toString(16).padStart(4, '0');
    return {
      key: `integration${n}`,
      systemuserid: `5f0c7a6e-0000-4000-8001-00000000${hex}`,
      azureObjectId: `5f0c7a6e-0000-4000-8001-0000000a${hex}`,
      applicationId: `5f0c7a6e-0000-4000-8001-0000000c${hex}`,
      fullname: `# PayPal Integration ${n}`,
      email: `paypal-integration-${n}@emulator.local`,
      roles: ['Integration Service'],
      clientId: `${EMULATOR_CLIENT_ID}-${n}`,
      clientSecret: `${EMULATOR_CLIENT_SECRET}-${n}`,
    };
  });
}
