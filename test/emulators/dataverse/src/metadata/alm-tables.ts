// Tables an ALM deployment reads and writes after an import: the installed solution (version, managed), cloud flows
// (workflow, category 5) and connection references. Columns follow Microsoft Learn's table reference pages
// (power-apps/developer/data-platform/reference/entities/{solution,workflow}); connectionreference comes from
// Microsoft's reference page (metadata/microsoft/connectionreference.md, standard-schema.ts).
import { attr } from './model.ts';
import type { AttributeMeta } from './model.ts';
import type { TableSpec } from './table-builder.ts';

const s = (n: string, maxLength = 256, extra: Partial<AttributeMeta> = {}): AttributeMeta =>
  attr(n, 'string', { maxLength, ...extra });
const pick = (n: string, options: [number, string][], extra: Partial<AttributeMeta> = {}): AttributeMeta =>
  attr(n, 'picklist', { options: options.map(([value, label]) => ({ value, label })), ...extra });

export const ALM_TABLES: TableSpec[] = [
  {
    logicalName: 'solution',
    entitySetName: 'solutions',
    objectTypeCode: 7100,
    primaryNameAttribute: 'friendlyname',
    ownership: 'OrganizationOwned',
    attributes: [
      s('uniquename', 65, { requiredLevel: 'systemrequired' }),
      s('friendlyname', 256),
      s('version', 256, { requiredLevel: 'systemrequired' }),
      attr('ismanaged', 'boolean'),
      attr('installedon', 'datetime'),
    ],
    keys: [{ name: 'uniquename', attributes: ['uniquename'] }],
  },
  {
    logicalName: 'workflow',
    entitySetName: 'workflows',
    objectTypeCode: 4703,
    ownership: 'UserOwned',
    // workflow statecode: 0 Draft, 1 Activated, 2 Suspended; statuscode 1 Draft, 2 Activated, 3 Company DLP Violation
    states: [
      { value: 0, label: 'Draft', defaultStatus: 1 },
      { value: 1, label: 'Activated', defaultStatus: 2 },
      { value: 2, label: 'Suspended', defaultStatus: 3 },
    ],
    statuses: [
      { value: 1, label: 'Draft', state: 0 },
      { value: 2, label: 'Activated', state: 1 },
      { value: 3, label: 'Company DLP Violation', state: 2 },
    ],
    attributes: [
      s('name', 100, { requiredLevel: 'systemrequired' }),
      pick('category', [
        [0, 'Workflow'],
        [1, 'Dialog'],
        [2, 'Business Rule'],
        [3, 'Action'],
        [4, 'Business Process Flow'],
        [5, 'Modern Flow'],
        [6, 'Desktop Flow'],
      ]),
      s('primaryentity', 128),
      s('clientdata', 1073741823, { type: 'memo' }),
    ],
  },
];
