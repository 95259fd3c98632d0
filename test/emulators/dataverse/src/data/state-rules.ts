// statecode/statuscode pairs: defaults, validity of the pair, and read-only states ("Paid and canceled
// invoices are read-only and can't be edited unless they are reactivated", learn.microsoft.com/dynamics365/
// sales/create-edit-invoice; fulfilled and canceled orders likewise).
import { Errors } from '../errors.ts';
import type { EntityMeta } from '../metadata/model.ts';
import type { Row } from './context.ts';

const READ_ONLY_STATES: Record<string, number[]> = { invoice: [2, 3], salesorder: [2, 3] };

export function applyStateRules(e: EntityMeta, values: Row, pre?: Row): void {
  const state = e.attributes.get('statecode');
  const status = e.attributes.get('statuscode');
  if (!state?.options || !status?.options) return;
  const currentState = pre ? (pre.statecode as number) : undefined;
  if (pre && READ_ONLY_STATES[e.logicalName]?.includes(currentState as number)) {
    // Only a state change out of the read-only state is accepted; other columns arrive here on their own
    // (records.ts splits state/status from them) and are rejected while the record is still read-only.
    const others = Object.keys(values).filter((k) => k !== 'statecode' && k !== 'statuscode');
    const reactivating = values.statecode === 0;
    if (!reactivating || others.length > 0) throw Errors.readOnlyState(e.logicalName);
  }
  let newState = values.statecode as number | undefined;
  const newStatus = values.statuscode as number | undefined;
  if (newState === undefined && newStatus !== undefined) {
    newState = status.options.find((o) => o.value === newStatus)?.state ?? currentState ?? 0;
    if (pre && newState !== currentState) values.statecode = newState;
  }
  if (newState === undefined && !pre) newState = 0;
  if (newState === undefined) return;
  values.statecode = newState;
  const stateOption = state.options.find((o) => o.value === newState);
  if (!stateOption) {
    throw Errors.outOfRange(`${newState} is not a valid state code on ${e.logicalName}.`);
  }
  if (newStatus === undefined) {
    if (pre && newState === currentState) return;
    values.statuscode = stateOption.defaultStatus ?? status.options.find((o) => o.state === newState)?.value ?? null;
    return;
  }
  const statusOption = status.options.find((o) => o.value === newStatus);
  if (!statusOption || (statusOption.state !== undefined && statusOption.state !== newState)) {
    throw Errors.outOfRange(
      `${newStatus} is not a valid status code for state code ${e.logicalName}State.${stateOption.label} on ${e.logicalName}.`,
    );
  }
}
