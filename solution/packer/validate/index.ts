import type { Diagnostic } from '../diagnostics.ts';
import type { ONode } from '../lib/ordered.ts';
import type { FileTree, PcfControl } from '../source.ts';
import { indexSource } from './context.ts';
import { checkFlowReferences, checkParentalOwnership, checkPrivileges } from './alm.ts';
import { checkDuplicates } from './duplicates.ts';
import { checkFieldSecurity } from './field-security.ts';
import { checkFlows } from './flows.ts';
import {
  checkAppModules,
  checkForms,
  checkRibbons,
  checkRelationships,
  checkRoles,
  checkSteps,
  checkViews,
  checkWebResourceRefs,
} from './references.ts';
import { checkRootComponents, componentIds } from './root-components.ts';

/** Source-level validation (the zip-level content-type check runs after assembly). */
export function validateSource(
  tree: FileTree,
  docs: Map<string, ONode>,
  controls: readonly PcfControl[] | undefined,
): Diagnostic[] {
  const ix = indexSource(docs, controls);
  return [
    ...checkDuplicates(ix),
    ...checkRelationships(ix),
    ...checkForms(ix),
    ...checkWebResourceRefs(ix),
    ...checkSteps(ix),
    ...checkRoles(ix),
    ...checkViews(ix),
    ...checkRibbons(ix),
    ...checkAppModules(ix, componentIds(ix)),
    ...checkFieldSecurity(ix),
    ...checkRootComponents(ix),
    ...checkFlows(tree),
    ...checkFlowReferences(tree, ix),
    ...checkPrivileges(ix),
    ...checkParentalOwnership(ix),
  ];
}
