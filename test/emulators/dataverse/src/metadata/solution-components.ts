// Solution components other than tables, in Microsoft's XML: roles (RolePrivileges), service
// endpoints (serviceendpointtype), SDK message processing steps (+ images) and environment variable
// definitions (dataverse.md §2.5).
import { attrOf, child, children, firstLabel, text } from './xml.ts';
import type { XmlNode } from './xml.ts';

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function lower(v: string | undefined): string | undefined {
  return v?.toLowerCase();
}

export interface SolutionRole {
  id: string;
  name: string;
  privileges: { name: string; level: string }[];
}

export interface SolutionServiceEndpoint {
  id: string;
  name: string;
  contract: number;
  url?: string;
  authType?: number;
  messageFormat?: number;
  userClaim?: number;
}

export interface SolutionStep {
  id: string;
  name: string;
  message: string;
  primaryEntity: string;
  filteringAttributes?: string;
  stage: number;
  mode: number;
  rank: number;
  serviceEndpointId?: string;
  /** StateCode in the step XML: 1 = shipped disabled */
  stateCode?: number;
  images: { name: string; alias: string; imageType: number; attributes?: string; messagePropertyName?: string }[];
}

export interface SolutionEnvironmentVariable {
  schemaName: string;
  displayName?: string;
  type?: number;
  defaultValue?: string;
}

export function parseRole(r: XmlNode): SolutionRole {
  return {
    id: (attrOf(r, 'id') ?? '').replace(/[{}]/g, '').toLowerCase(),
    name: attrOf(r, 'name') ?? '',
    privileges: children(child(r, 'RolePrivileges'), 'RolePrivilege').map((p) => ({
      name: attrOf(p, 'name') ?? '',
      level: attrOf(p, 'level') ?? 'Global',
    })),
  };
}

const guid = (v: string | undefined): string => (v ?? '').replace(/[{}]/g, '').toLowerCase();

export function parseServiceEndpoint(e: XmlNode): SolutionServiceEndpoint {
  return {
    id: guid(attrOf(e, 'ServiceEndpointId')),
    name: attrOf(e, 'Name') ?? text(e, 'Name') ?? '',
    contract: num(text(e, 'Contract')) ?? 8,
    url: text(e, 'Url'),
    authType: num(text(e, 'AuthType')),
    messageFormat: num(text(e, 'MessageFormat')),
    userClaim: num(text(e, 'UserClaim')),
  };
}

export function parseStep(s: XmlNode): SolutionStep {
  const handler = text(s, 'EventHandler') ?? attrOf(child(s, 'EventHandler'), 'id');
  return {
    id: guid(attrOf(s, 'SdkMessageProcessingStepId')),
    name: attrOf(s, 'Name') ?? '',
    // SdkMessageId holds the message's well-known id (or, in hand-written XML, its name)
    message: text(s, 'SdkMessageName') ?? text(s, 'SdkMessageId') ?? '',
    primaryEntity: lower(text(s, 'PrimaryEntity')) ?? 'none',
    filteringAttributes: text(s, 'FilteringAttributes'),
    stage: num(text(s, 'Stage')) ?? 40,
    mode: num(text(s, 'Mode')) ?? 0,
    rank: num(text(s, 'Rank')) ?? 1,
    serviceEndpointId: handler ? guid(handler) : undefined,
    stateCode: num(text(s, 'StateCode')),
    images: children(child(s, 'SdkMessageProcessingStepImages'), 'SdkMessageProcessingStepImage').map((i) => ({
      name: attrOf(i, 'Name') ?? text(i, 'Name') ?? '',
      alias: text(i, 'EntityAlias') ?? attrOf(i, 'Name') ?? '',
      imageType: num(text(i, 'ImageType')) ?? 1,
      attributes: text(i, 'Attributes'),
      messagePropertyName: text(i, 'MessagePropertyName'),
    })),
  };
}

export function parseEnvironmentVariable(d: XmlNode): SolutionEnvironmentVariable {
  return {
    schemaName: attrOf(d, 'schemaname') ?? text(d, 'schemaname') ?? '',
    displayName: firstLabel(d, 'displayname', 'label'),
    type: num(text(d, 'type')),
    defaultValue: text(d, 'defaultvalue'),
  };
}
