// PCF control versions derived from the solution version, stamped into each built ControlManifest.xml as it is
// packed. Dataverse only replaces a control it already has when the manifest's <control version> changes
// ("All about PCF versioning", dianabirkelbach.wordpress.com/2020/12/23), so every solution release must carry
// new control versions; deriving them from Solution.xml's <Version> makes that automatic.
//
// The two formats differ: the solution version is Major.Minor.Build.Revision ("Create and update solutions":
// learn.microsoft.com/power-apps/maker/data-platform/update-solutions), the control version is Semantic
// Versioning ("control element": learn.microsoft.com/power-apps/developer/component-framework/
// manifest-schema-reference/control), and the import's XSD rejects a fourth part. The mapping
// major.minor.build.revision → major.minor.(build × 1000 + revision) keeps the order: a higher solution version
// always gives a higher control version, as long as the revision stays below 1000 (checked).
import { error, type Diagnostic } from './diagnostics.ts';
import type { PcfControl } from './source.ts';

export const REVISIONS_PER_BUILD = 1000;

export type ControlVersion = { ok: true; version: string } | { ok: false; message: string };

export function controlVersionFor(solutionVersion: string): ControlVersion {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(solutionVersion);
  if (!m) return { ok: false, message: `"${solutionVersion}" is not a four-part Major.Minor.Build.Revision version` };
  const [major, minor, build, revision] = m.slice(1).map(Number) as [number, number, number, number];
  if (revision >= REVISIONS_PER_BUILD)
    return {
      ok: false,
      message: `revision ${revision} must be below ${REVISIONS_PER_BUILD}: the control version's patch is build × ${REVISIONS_PER_BUILD} + revision`,
    };
  const patch = build * REVISIONS_PER_BUILD + revision;
  if (!Number.isSafeInteger(patch)) return { ok: false, message: `build ${build} is too large` };
  return { ok: true, version: `${major}.${minor}.${patch}` };
}

// The version attribute of the <control> start tag only (platform-library and resx carry their own versions).
const CONTROL_VERSION = /(<control\b[^>]*?\sversion=")[^"]*(")/;

/** The control with its manifest's <control version> (and .version) replaced. */
export function stampControl(control: PcfControl, version: string): PcfControl {
  const manifest = new TextDecoder().decode(control.files.get('ControlManifest.xml'));
  if (!CONTROL_VERSION.test(manifest))
    throw new Error(`pcf-controls/out/controls/${control.folder}/ControlManifest.xml: <control version> missing`);
  const files = new Map(control.files);
  files.set('ControlManifest.xml', new TextEncoder().encode(manifest.replace(CONTROL_VERSION, `$1${version}$2`)));
  return { ...control, version, files };
}

/** Every control stamped with the version derived from the solution version, or the reason it cannot be. */
export function stampControls(
  controls: readonly PcfControl[],
  solutionVersion: string,
): { controls: PcfControl[]; diagnostics: Diagnostic[] } {
  const derived = controlVersionFor(solutionVersion);
  if (!derived.ok)
    return {
      controls: [...controls],
      diagnostics: [
        error('Other/Solution.xml', 'SolutionManifest/Version', `no PCF control version: ${derived.message}`),
      ],
    };
  return { controls: controls.map((c) => stampControl(c, derived.version)), diagnostics: [] };
}
