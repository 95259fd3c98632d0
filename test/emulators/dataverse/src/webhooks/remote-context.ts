// Serialises an operation as Microsoft.Xrm.Sdk.RemoteExecutionContext in DataContract JSON, the
// body Dataverse POSTs to a webhook (use-webhooks.md; real sample in proxy-service/test/fixtures/dataverse-webhooks).
import { randomUUID } from 'node:crypto';
import type { PipelineEvent, Row } from '../data/context.ts';
import type { AttributeMeta, EntityMeta } from '../metadata/model.ts';
import { typeColumn } from '../storage/schema.ts';

const NS = 'http://schemas.microsoft.com/xrm/2011/Contracts';

export interface StepInfo {
  id: string;
  name: string;
  stage: number;
  mode: number;
  images: { alias: string; imageType: number; attributes?: string }[];
}

export interface ContextInfo {
  organizationId: string;
  organizationName: string;
  businessUnitId: string;
  userId: string;
  userAadObjectId?: string;
  correlationId: string;
  depth: number;
  nowMs: number;
}

export function wcfDate(v: unknown): string {
  const ms = (v instanceof Date ? v : new Date(String(v))).getTime();
  return `/Date(${ms})/`;
}

function value(e: EntityMeta, a: AttributeMeta, v: unknown, row: Row): unknown {
  if (v === null || v === undefined) return null;
  if (a.targets) {
    const ref = typeof v === 'object' ? (v as { logicalName: string; id: string }) : undefined;
    const tc = typeColumn(a);
    return {
      __type: `EntityReference:${NS}`,
      Id: ref ? ref.id : v,
      KeyAttributes: [],
      LogicalName: ref ? ref.logicalName : tc ? (row[tc] ?? a.targets[0]) : a.targets[0],
      Name: null,
      RowVersion: null,
    };
  }
  switch (a.type) {
    case 'picklist':
    case 'state':
    case 'status':
      return { __type: `OptionSetValue:${NS}`, Value: v };
    case 'money':
      return { __type: `Money:${NS}`, Value: Number(v) };
    case 'decimal':
    case 'double':
    case 'bigint':
      return Number(v);
    case 'datetime':
      return wcfDate(v);
    default:
      void e;
      return v;
  }
}

function formattedValues(e: EntityMeta, row: Row): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const [k, v] of Object.entries(row)) {
    const a = e.attributes.get(k);
    if (!a || v === null || v === undefined) continue;
    if (a.options) {
      const label = a.options.find((o) => o.value === v)?.label;
      if (label) out.push({ key: k, value: label });
    } else if (a.type === 'boolean') out.push({ key: k, value: v ? 'Yes' : 'No' });
  }
  return out;
}

export function entityJson(e: EntityMeta, id: string, row: Row, only?: string[]): Record<string, unknown> {
  const attrs: { key: string; value: unknown }[] = [];
  for (const [k, v] of Object.entries(row)) {
    const a = e.attributes.get(k);
    if (!a || (only && !only.includes(k))) continue;
    attrs.push({ key: k, value: value(e, a, v, row) });
  }
  return {
    __type: `Entity:${NS}`,
    Attributes: attrs,
    EntityState: null,
    FormattedValues: formattedValues(
      e,
      only ? Object.fromEntries(Object.entries(row).filter(([k]) => only.includes(k))) : row,
    ),
    Id: id,
    KeyAttributes: [],
    LogicalName: e.logicalName,
    RelatedEntities: [],
    RowVersion: row.versionnumber !== undefined && row.versionnumber !== null ? String(row.versionnumber) : null,
  };
}

function image(e: EntityMeta, id: string, row: Row | undefined, attributes?: string): unknown {
  if (!row) return undefined;
  const only = attributes
    ? attributes
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean)
    : undefined;
  const { __type: _t, ...rest } = entityJson(e, id, row, only);
  return rest;
}

export function remoteExecutionContext(ev: PipelineEvent, step: StepInfo, info: ContextInfo): Record<string, unknown> {
  const e = ev.entity;
  const input =
    ev.message === 'Delete'
      ? {
          key: 'Target',
          value: {
            __type: `EntityReference:${NS}`,
            Id: ev.id,
            KeyAttributes: [],
            LogicalName: e.logicalName,
            Name: null,
            RowVersion: null,
          },
        }
      : ev.message === 'SetState' || ev.message === 'SetStateDynamicEntity'
        ? {
            key: 'EntityMoniker',
            value: {
              __type: `EntityReference:${NS}`,
              Id: ev.id,
              KeyAttributes: [],
              LogicalName: e.logicalName,
              Name: null,
              RowVersion: null,
            },
          }
        : { key: 'Target', value: entityJson(e, ev.id, ev.target) };
  const inputs: { key: string; value: unknown }[] = [input];
  if (ev.message === 'SetState' || ev.message === 'SetStateDynamicEntity') {
    inputs.push({ key: 'State', value: { __type: `OptionSetValue:${NS}`, Value: ev.target.statecode } });
    inputs.push({ key: 'Status', value: { __type: `OptionSetValue:${NS}`, Value: ev.target.statuscode } });
  }
  const pre = step.images.filter((i) => i.imageType === 0 || i.imageType === 2);
  const post = step.images.filter((i) => i.imageType === 1 || i.imageType === 2);
  return {
    BusinessUnitId: info.businessUnitId,
    CorrelationId: info.correlationId,
    Depth: info.depth,
    InitiatingUserAgent: 'ppc-dataverse-emulator',
    InitiatingUserAzureActiveDirectoryObjectId: info.userAadObjectId ?? '00000000-0000-0000-0000-000000000000',
    InitiatingUserId: info.userId,
    InputParameters: inputs,
    IsExecutingOffline: false,
    IsInTransaction: step.mode === 0,
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: ev.message,
    Mode: step.mode,
    OperationCreatedOn: `/Date(${info.nowMs})/`,
    OperationId: randomUUID(),
    OrganizationId: info.organizationId,
    OrganizationName: info.organizationName,
    OutputParameters: ev.message === 'Create' ? [{ key: 'id', value: ev.id }] : [],
    OwningExtension: {
      Id: step.id,
      KeyAttributes: [],
      LogicalName: 'sdkmessageprocessingstep',
      Name: step.name,
      RowVersion: null,
    },
    ParentContext: null,
    PostEntityImages: post
      .map((i) => ({ key: i.alias, value: image(e, ev.id, ev.post, i.attributes) }))
      .filter((x) => x.value !== undefined),
    PreEntityImages: pre
      .map((i) => ({ key: i.alias, value: image(e, ev.id, ev.pre, i.attributes) }))
      .filter((x) => x.value !== undefined),
    PrimaryEntityId: ev.id,
    PrimaryEntityName: e.logicalName,
    RequestId: randomUUID(),
    SecondaryEntityName: 'none',
    SharedVariables: [],
    Stage: step.stage,
    UserAzureActiveDirectoryObjectId: info.userAadObjectId ?? '00000000-0000-0000-0000-000000000000',
    UserId: info.userId,
  };
}
