// Platform tables still hand-listed (serviceendpoint, sdkmessageprocessingstep, asyncoperation,
// environmentvariabledefinition). role, sdkmessage, sdkmessagefilter, sdkmessageprocessingstepimage and
// environmentvariablevalue, like systemuser, businessunit and team, come from Microsoft's reference pages
// (metadata/microsoft/, standard-schema.ts). Column names follow MS docs developer/data-platform/reference/entities/.
import { attr } from './model.ts';
import type { AttributeMeta } from './model.ts';
import type { TableSpec } from './table-builder.ts';

const s = (n: string, maxLength = 256, extra: Partial<AttributeMeta> = {}): AttributeMeta =>
  attr(n, 'string', { maxLength, ...extra });
const lookup = (n: string, ...targets: string[]): AttributeMeta => attr(n, 'lookup', { targets });
const int = (n: string, extra: Partial<AttributeMeta> = {}): AttributeMeta => attr(n, 'integer', extra);
const pick = (n: string, options: [number, string][], extra: Partial<AttributeMeta> = {}): AttributeMeta =>
  attr(n, 'picklist', { options: options.map(([value, label]) => ({ value, label })), ...extra });

const enabledDisabled = {
  states: [
    { value: 0, label: 'Enabled', defaultStatus: 1 },
    { value: 1, label: 'Disabled', defaultStatus: 2 },
  ],
  statuses: [
    { value: 1, label: 'Enabled', state: 0 },
    { value: 2, label: 'Disabled', state: 1 },
  ],
};

export const SYSTEM_TABLES: TableSpec[] = [
  {
    logicalName: 'serviceendpoint',
    entitySetName: 'serviceendpoints',
    objectTypeCode: 4618,
    ownership: 'OrganizationOwned',
    attributes: [
      s('name', 256, { requiredLevel: 'systemrequired' }),
      s('description', 2000, { type: 'memo' }),
      pick(
        'contract',
        [
          [1, 'OneWay'],
          [2, 'Queue'],
          [3, 'Rest'],
          [4, 'TwoWay'],
          [5, 'Topic'],
          [6, 'Queue (Persistent)'],
          [7, 'Event Hub'],
          [8, 'Webhook'],
          [9, 'Event Grid'],
        ],
        { requiredLevel: 'systemrequired' },
      ),
      s('url', 2000),
      pick('authtype', [
        [1, 'ACS'],
        [2, 'SAS Key'],
        [3, 'SAS Token'],
        [4, 'Webhook Key'],
        [5, 'Http Header'],
        [6, 'Http Query String'],
        [7, 'Connection String'],
        [8, 'Access Key'],
        [9, 'Managed Identity'],
      ]),
      s('authvalue', 4000, { type: 'memo' }),
      pick('messageformat', [
        [1, '.NETBinary'],
        [2, 'Json'],
        [3, 'XML'],
      ]),
      pick('userclaim', [
        [1, 'None'],
        [2, 'UserId'],
        [3, 'UserInfo'],
      ]),
      pick('connectionmode', [
        [1, 'Normal'],
        [2, 'Federated'],
      ]),
      s('solutionnamespace', 160),
      s('path', 160),
    ],
  },
  {
    logicalName: 'sdkmessageprocessingstep',
    entitySetName: 'sdkmessageprocessingsteps',
    objectTypeCode: 4608,
    ownership: 'UserOwned',
    ...enabledDisabled,
    attributes: [
      s('name', 256, { requiredLevel: 'systemrequired' }),
      s('description', 256),
      lookup('sdkmessageid', 'sdkmessage'),
      lookup('sdkmessagefilterid', 'sdkmessagefilter'),
      attr('eventhandler', 'lookup', { targets: ['serviceendpoint'] }),
      s('filteringattributes', 100000, { type: 'memo' }),
      pick(
        'stage',
        [
          [10, 'Pre-validation'],
          [20, 'Pre-operation'],
          [30, 'Main Operation'],
          [40, 'Post-operation'],
        ],
        { requiredLevel: 'systemrequired' },
      ),
      pick(
        'mode',
        [
          [0, 'Synchronous'],
          [1, 'Asynchronous'],
        ],
        { requiredLevel: 'systemrequired' },
      ),
      int('rank'),
      pick('supporteddeployment', [
        [0, 'Server Only'],
        [1, 'Microsoft Dynamics 365 Client for Outlook Only'],
        [2, 'Both'],
      ]),
      attr('asyncautodelete', 'boolean'),
      s('configuration', 100000, { type: 'memo' }),
    ],
    collectionNames: { eventhandler: 'serviceendpoint_sdkmessageprocessingstep' },
    // eventhandler is polymorphic in Dataverse (plugintype | serviceendpoint)
    navigationNames: { eventhandler: 'eventhandler_serviceendpoint' },
  },
  {
    logicalName: 'asyncoperation',
    entitySetName: 'asyncoperations',
    objectTypeCode: 4700,
    ownership: 'UserOwned',
    states: [
      { value: 0, label: 'Ready', defaultStatus: 0 },
      { value: 1, label: 'Suspended', defaultStatus: 10 },
      { value: 2, label: 'Locked', defaultStatus: 20 },
      { value: 3, label: 'Completed', defaultStatus: 30 },
    ],
    statuses: [
      { value: 0, label: 'Waiting For Resources', state: 0 },
      { value: 10, label: 'Waiting', state: 1 },
      { value: 20, label: 'In Progress', state: 2 },
      { value: 30, label: 'Succeeded', state: 3 },
      { value: 31, label: 'Failed', state: 3 },
      { value: 32, label: 'Canceled', state: 3 },
    ],
    attributes: [
      s('name', 256),
      int('operationtype'),
      s('message', 100000, { type: 'memo' }),
      s('friendlymessage', 100000, { type: 'memo' }),
      int('errorcode'),
      attr('owningextensionid', 'lookup', { targets: ['sdkmessageprocessingstep'] }),
      s('primaryentitytype', 128),
      attr('regardingobjectid', 'uniqueidentifier'),
      attr('completedon', 'datetime'),
    ],
    collectionNames: { owningextensionid: 'sdkmessageprocessingstep_asyncoperations' },
  },
  {
    logicalName: 'environmentvariabledefinition',
    entitySetName: 'environmentvariabledefinitions',
    objectTypeCode: 380,
    primaryNameAttribute: 'schemaname',
    ownership: 'UserOwned',
    attributes: [
      s('schemaname', 100, { requiredLevel: 'systemrequired' }),
      s('displayname', 100),
      s('defaultvalue', 100000, { type: 'memo' }),
      pick('type', [
        [100000000, 'String'],
        [100000001, 'Number'],
        [100000002, 'Boolean'],
        [100000003, 'JSON'],
        [100000004, 'Data source'],
        [100000005, 'Secret'],
      ]),
    ],
    keys: [{ name: 'schemaname', attributes: ['schemaname'] }],
  },
];
