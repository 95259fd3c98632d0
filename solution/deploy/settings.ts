// Deployment settings in the format `pac solution create-settings` writes and `pac solution import --settings-file`
// / microsoft/powerplatform-actions import-solution (use-deployment-settings-in-asset) read:
//   { "EnvironmentVariables": [{ "SchemaName", "Value" }], "ConnectionReferences": [{ "LogicalName", "ConnectionId",
//     "ConnectorId" }] }
// generated from the built zip itself, so the file always names exactly the solution's variables and references.
import { unzipSync } from 'fflate';
import {
  attrsOf,
  child,
  childrenOf,
  findAll,
  parseOrdered,
  rootOf,
  tagOf,
  textOf,
  type ONode,
} from '../packer/lib/ordered.ts';

export interface DeploymentSettings {
  EnvironmentVariables: { SchemaName: string; Value: string }[];
  ConnectionReferences: { LogicalName: string; ConnectionId: string; ConnectorId: string }[];
}

export interface SolutionComponents {
  uniqueName: string;
  version: string;
  managed: boolean;
  environmentVariables: { schemaName: string; required: boolean; defaultValue: string }[];
  connectionReferences: { logicalName: string; connectorId: string }[];
  serviceEndpoints: string[];
  steps: { id: string; endpoint: string }[];
  /** each flow's connection references and the environment variables its parameters read */
  flows: { id: string; name: string; connectionReferences: string[]; variables: string[] }[];
}

const guid = (v: string | undefined): string => (v ?? '').replace(/[{}]/g, '').toLowerCase();

export function readComponents(zip: Uint8Array): SolutionComponents {
  const files = unzipSync(zip);
  const text = (name: string): string =>
    new TextDecoder().decode(files[name] ?? new Uint8Array()).replace(/^\uFEFF/, '');
  const xml = (name: string): ONode => rootOf(parseOrdered(text(name)), name);
  const manifest = child(xml('solution.xml'), 'SolutionManifest')!;
  const cust = xml('customizations.xml');
  const environmentVariables = Object.keys(files)
    .filter((p) => /^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/.test(p))
    .sort()
    .map((p) => {
      const d = xml(p);
      return {
        schemaName: attrsOf(d)['@_schemaname'] ?? '',
        required: textOf(child(d, 'isrequired')) === '1',
        defaultValue: textOf(child(d, 'defaultvalue')),
      };
    });
  const flows = findAll([cust], 'Workflow').map((w) => {
    const json = text(textOf(child(w, 'JsonFileName')).replace(/^\//, ''));
    const props = json
      ? (
          JSON.parse(json) as {
            properties?: {
              connectionReferences?: Record<string, unknown>;
              definition?: { parameters?: Record<string, { metadata?: { schemaName?: string } }> };
            };
          }
        ).properties
      : undefined;
    const variables = Object.values(props?.definition?.parameters ?? {})
      .map((p) => p.metadata?.schemaName ?? '')
      .filter(Boolean);
    const refs = props
      ? Object.values(props.connectionReferences ?? {}).map(
          (r) =>
            (r as { connection?: { connectionReferenceLogicalName?: string } }).connection
              ?.connectionReferenceLogicalName ?? '',
        )
      : [];
    return {
      id: guid(attrsOf(w)['@_WorkflowId']),
      name: attrsOf(w)['@_Name'] ?? '',
      connectionReferences: refs,
      variables,
    };
  });
  return {
    uniqueName: textOf(child(manifest, 'UniqueName')),
    version: textOf(child(manifest, 'Version')),
    managed: textOf(child(manifest, 'Managed')) === '1',
    environmentVariables,
    connectionReferences: findAll([cust], 'connectionreference').map((c) => ({
      logicalName: attrsOf(c)['@_connectionreferencelogicalname'] ?? '',
      connectorId: textOf(child(c, 'connectorid')),
    })),
    serviceEndpoints: findAll([cust], 'ServiceEndpoint').map((e) => guid(attrsOf(e)['@_ServiceEndpointId'])),
    steps: childrenOf(child(cust, 'SdkMessageProcessingSteps') ?? { x: [] })
      .filter((s) => tagOf(s) === 'SdkMessageProcessingStep')
      .map((s) => ({
        id: guid(attrsOf(s)['@_SdkMessageProcessingStepId']),
        endpoint: guid(textOf(child(s, 'EventHandler'))),
      })),
    flows,
  };
}

/** What `pac solution create-settings` writes: every variable and reference, values empty. */
export function createSettings(c: SolutionComponents): DeploymentSettings {
  return {
    EnvironmentVariables: c.environmentVariables.map((v) => ({ SchemaName: v.schemaName, Value: '' })),
    ConnectionReferences: c.connectionReferences.map((r) => ({
      LogicalName: r.logicalName,
      ConnectionId: '',
      ConnectorId: r.connectorId,
    })),
  };
}

/**
 * Problems that stop a deployment before anything is imported: a variable or reference the solution does not have
 * (a typo would silently leave the real one unset), a required variable without a value.
 */
export function checkSettings(c: SolutionComponents, s: DeploymentSettings): string[] {
  const out: string[] = [];
  const vars = new Map(c.environmentVariables.map((v) => [v.schemaName, v]));
  const refs = new Set(c.connectionReferences.map((r) => r.logicalName));
  for (const v of s.EnvironmentVariables ?? [])
    if (!vars.has(v.SchemaName)) out.push(`EnvironmentVariables: ${v.SchemaName} is not a variable of ${c.uniqueName}`);
  for (const r of s.ConnectionReferences ?? [])
    if (!refs.has(r.LogicalName))
      out.push(`ConnectionReferences: ${r.LogicalName} is not a reference of ${c.uniqueName}`);
  const given = new Map((s.EnvironmentVariables ?? []).map((v) => [v.SchemaName, v.Value]));
  for (const v of c.environmentVariables)
    if (v.required && !given.get(v.schemaName) && !v.defaultValue)
      out.push(`EnvironmentVariables: ${v.schemaName} is required and has no value`);
  return out;
}
