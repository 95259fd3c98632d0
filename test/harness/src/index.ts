// @ppc/harness: the PCF form harness. createHarness serves the built controls against a
// Dataverse emulator; seedDemo writes the demo records the forms show.
export { createHarness } from './harness.ts';
export type { Harness, HarnessOptions } from './harness.ts';
export { seedDemo, repairRoleAssignments } from './demo-data.ts';
export type { DemoRecords } from './demo-data.ts';
export { CONTROL_FORMS } from './forms.ts';
