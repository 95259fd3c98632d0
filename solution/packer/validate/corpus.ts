// Our unpacked source against real exported solutions (solution/corpus, see its SOURCES.md), per component type:
//   vocabulary — every element and attribute path we write appears in the corpus for that component type, or is
//                listed in CORPUS_EXTRAS with the reason the corpus cannot show it;
//   order      — for elements under the same parent, our order never contradicts the corpus order;
//   values     — 0/1 flags stay 0/1, integers stay inside the 64-bit range (and inside the 32-bit range unless the
//                corpus shows larger), enumerated elements take a documented value.
import { attrsOf, childrenOf, parseOrdered, rootOf, tagOf, textOf, type ONode } from '../lib/ordered.ts';

export type ComponentType =
  | 'solution'
  | 'entity'
  | 'savedquery'
  | 'form'
  | 'relationship'
  | 'role'
  | 'environmentvariable'
  | 'workflow'
  | 'step'
  | 'webresource';

/** Which component type an unpacked source path holds (undefined: not compared). */
export function componentTypeOf(path: string): ComponentType | undefined {
  if (/^Other\/Solution(\..*)?\.xml$/.test(path)) return 'solution';
  if (/^Entities\/[^/]+\/Entity\.xml$/.test(path)) return 'entity';
  if (/^Entities\/[^/]+\/SavedQueries\/[^/]+\.xml$/.test(path)) return 'savedquery';
  if (/^Entities\/[^/]+\/FormXml\/main\/[^/]+\.xml$/.test(path) && !path.endsWith('_managed.xml')) return 'form';
  if (/^Other\/Relationships\/[^/]+\.xml$/.test(path)) return 'relationship';
  if (/^Roles\/[^/]+\.xml$/.test(path)) return 'role';
  if (/^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/.test(path))
    return 'environmentvariable';
  if (/^Workflows\/[^/]+\.json\.data\.xml$/.test(path)) return 'workflow';
  if (/^SdkMessageProcessingSteps\/[^/]+\.xml$/.test(path)) return 'step';
  if (/^WebResources\/.+\.data\.xml$/.test(path)) return 'webresource';
  return undefined;
}

/**
 * Paths we write that the vendored corpus does not contain, each with why. Keys are `<type> <path>`; a path ends in
 * `/@attr` for an attribute, `/**` covers the element and everything under it. The corpus check fails on an
 * unexplained path AND on an entry here that no longer occurs. "XSD" = CustomizationsSolution.xsd / FormXml.xsd
 * 9.0.0.2090 (packer/validate/schemas/ms-9.0.0.2090) declares it.
 */
export const CORPUS_EXTRAS: Readonly<Record<string, string>> = {
  'entity Entity/EntityInfo/entity/@unmodified':
    'a Microsoft table exported without its table metadata (<entity Name="account" unmodified="1">, Microsoft Learn customization samples); the corpus extends no Microsoft table',
  'entity Entity/EntityInfo/entity/attributes/attribute/optionset/options/**':
    'choice columns with a local option set (XSD optionset/options); the corpus table has no choice column',
  'entity Entity/EntityInfo/entity/attributes/attribute/AppDefaultValue':
    'default of a Yes/No column (XSD); the corpus table has no Yes/No column',
  'entity Entity/EntityInfo/entity/attributes/attribute/Accuracy':
    'precision of money/decimal columns (XSD); the corpus table has none',
  'entity Entity/EntityInfo/entity/attributes/attribute/AccuracySource':
    'money precision source (XSD); the corpus table has no money column',
  'entity Entity/EntityInfo/entity/attributes/attribute/CalculationOf':
    'the _base twin of a money column (XSD); the corpus table has no money column',
  'entity Entity/EntityInfo/entity/EntityKeys/**':
    'alternate keys (XSD EntityKeys); the corpus table has none, the proxy upserts by them',
  'form forms/systemform/form/tabs/tab/@expanded': 'optional FormXml attribute (FormXml.xsd)',
  'form forms/systemform/form/tabs/tab/columns/column/sections/section/rows/row/cell/control/@disabled':
    'read-only fields (FormXml.xsd)',
  'form forms/systemform/form/controlDescriptions/**':
    'PCF control bindings (FormXml.xsd controlDescriptions; reference/dataverse.md §2.3); the corpus form binds no code component',
  'relationship EntityRelationships/EntityRelationship/CascadeRollupView':
    'XSD; older SolutionPackager exports write it; the corpus export (2024) omits it',
  'relationship EntityRelationships/EntityRelationship/IsValidForAdvancedFind': 'XSD; as CascadeRollupView',
  'relationship EntityRelationships/EntityRelationship/EntityRelationshipRoles/**':
    'XSD; fixes the navigation property names the proxy binds with (NavigationPropertyName)',
  'solution ImportExportXml/SolutionManifest/Descriptions/Description/**':
    'a localized solution description, shaped like LocalizedNames/LocalizedName; the corpus solutions have none',
  'step SdkMessageProcessingStep/EventHandler':
    'XSD; a webhook step names its service endpoint (EventHandlerTypeCode 4618); the corpus step is a plug-in step',
  'step SdkMessageProcessingStep/StateCode':
    'shipped disabled (statecode 1); not in the 2018 XSD; deploy turns the steps on explicitly, so nothing depends on the importer honouring it',
  'step SdkMessageProcessingStep/StatusCode': 'as StateCode (statuscode 2 Disabled)',
  'step SdkMessageProcessingStep/SdkMessageProcessingStepImages/SdkMessageProcessingStepImage/**':
    'post-images (XSD sdkmessageprocessingstepimage); the corpus step has an empty <SdkMessageProcessingStepImages />',
  'webresource WebResource/Description': 'XSD webresourcetype Description; the corpus web resource has none',
};

function explained(extras: Readonly<Record<string, string>>, type: string, path: string): string | undefined {
  if (extras[`${type} ${path}`] !== undefined) return `${type} ${path}`;
  return Object.keys(extras).find((k) => {
    if (!k.endsWith('/**') || !k.startsWith(`${type} `)) return false;
    const base = k.slice(type.length + 1, -3);
    return path === base || path.startsWith(`${base}/`);
  });
}

export interface Vocabulary {
  paths: Set<string>;
  /** parent path → each instance's child tags in document order (repeats collapsed) */
  order: Map<string, string[][]>;
  /** leaf element path → text values */
  values: Map<string, Set<string>>;
}

export function emptyVocabulary(): Vocabulary {
  return { paths: new Set(), order: new Map(), values: new Map() };
}

/** Attribute element children vary with the column type: path them by type so a money column is compared to one. */
function segment(n: ONode): string {
  return tagOf(n);
}

export function collect(v: Vocabulary, root: ONode): void {
  const walk = (n: ONode, path: string): void => {
    v.paths.add(path);
    for (const a of Object.keys(attrsOf(n))) if (!a.startsWith('@_xmlns')) v.paths.add(`${path}/@${a.slice(2)}`);
    const kids = childrenOf(n).filter((c) => !['#text', '#comment', '#cdata'].includes(tagOf(c)));
    if (kids.length === 0) {
      const t = textOf(n);
      if (t !== '') v.values.set(path, (v.values.get(path) ?? new Set()).add(t));
    }
    const sequence: string[] = [];
    for (const k of kids) if (sequence[sequence.length - 1] !== segment(k)) sequence.push(segment(k));
    if (sequence.length > 1) v.order.set(path, [...(v.order.get(path) ?? []), sequence]);
    for (const k of kids) walk(k, `${path}/${segment(k)}`);
  };
  walk(root, segment(root));
}

export function vocabularyOf(files: Iterable<[string, string]>): Map<ComponentType, Vocabulary> {
  const out = new Map<ComponentType, Vocabulary>();
  for (const [path, text] of files) {
    const type = componentTypeOf(path);
    if (!type) continue;
    const v = out.get(type) ?? emptyVocabulary();
    collect(v, rootOf(parseOrdered(text.replace(/^\uFEFF/, '')), path));
    out.set(type, v);
  }
  return out;
}

/** Documented value sets (Microsoft Learn: CascadeType, AttributeRequiredLevel, savedquery querytype, …). */
export const ENUMERATIONS: Readonly<Record<string, readonly string[]>> = {
  CascadeAssign: ['Cascade', 'Active', 'UserOwned', 'NoCascade'],
  CascadeShare: ['Cascade', 'Active', 'UserOwned', 'NoCascade'],
  CascadeUnshare: ['Cascade', 'Active', 'UserOwned', 'NoCascade'],
  CascadeReparent: ['Cascade', 'Active', 'UserOwned', 'NoCascade'],
  CascadeDelete: ['Cascade', 'RemoveLink', 'Restrict', 'NoCascade'],
  CascadeArchive: ['Cascade', 'RemoveLink', 'Restrict', 'NoCascade'],
  CascadeRollupView: ['Cascade', 'Active', 'UserOwned', 'NoCascade'],
  RequiredLevel: ['none', 'systemrequired', 'required', 'recommended'],
  querytype: ['0', '1', '2', '4', '16', '64', '128', '256', '512', '1024', '2048', '4096', '8192', '16384'],
  OwnershipTypeMask: ['UserOwned', 'OrgOwned', 'None', 'BusinessOwned'],
  Managed: ['0', '1', '2'],
  EntityRelationshipType: ['OneToMany', 'ManyToMany'],
  // DateTimeBehavior: 1 UserLocal, 2 DateOnly, 3 TimeZoneIndependent
  Behavior: ['1', '2', '3'],
};

export interface CorpusFinding {
  type: ComponentType;
  kind: 'vocabulary' | 'order' | 'value' | 'stale-extra';
  path: string;
  detail: string;
}

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

/** "a<b" for every pair of child tags some real instance has in that order. */
function precedence(sequences: string[][]): Set<string> {
  const out = new Set<string>();
  for (const seq of sequences)
    for (let i = 0; i < seq.length; i++) for (let j = i + 1; j < seq.length; j++) out.add(`${seq[i]}<${seq[j]}`);
  return out;
}

export function compareToCorpus(
  ours: Map<ComponentType, Vocabulary>,
  corpus: Map<ComponentType, Vocabulary>,
  extras: Readonly<Record<string, string>> = CORPUS_EXTRAS,
): CorpusFinding[] {
  const out: CorpusFinding[] = [];
  const usedExtras = new Set<string>();
  for (const [type, mine] of ours) {
    const real = corpus.get(type);
    if (!real) {
      out.push({
        type,
        kind: 'vocabulary',
        path: '(type)',
        detail: 'no real export of this component type in the corpus',
      });
      continue;
    }
    for (const p of mine.paths) {
      if (real.paths.has(p)) continue;
      const key = explained(extras, type, p);
      if (key) usedExtras.add(key);
      else out.push({ type, kind: 'vocabulary', path: p, detail: 'not in any real export of this type' });
    }
    for (const [parent, sequences] of mine.order) {
      const before = precedence(real.order.get(parent) ?? []);
      const reported = new Set<string>();
      for (const seq of sequences)
        for (let i = 0; i < seq.length; i++)
          for (let j = i + 1; j < seq.length; j++) {
            const [a, b] = [seq[i]!, seq[j]!];
            // a before b here; a real export only ever had b before a
            if (before.has(`${b}<${a}`) && !before.has(`${a}<${b}`) && !reported.has(`${a}<${b}`)) {
              reported.add(`${a}<${b}`);
              out.push({ type, kind: 'order', path: parent, detail: `${a} before ${b}; real exports have ${b} first` });
            }
          }
    }
    for (const [path, values] of mine.values) {
      const leaf = path.split('/').pop()!;
      const realValues = real.values.get(path);
      for (const value of values) {
        const enumeration = ENUMERATIONS[leaf];
        if (enumeration) {
          if (!enumeration.includes(value))
            out.push({ type, kind: 'value', path, detail: `"${value}" is not one of ${enumeration.join(', ')}` });
          continue;
        }
        if (realValues && [...realValues].every((r) => r === '0' || r === '1') && value !== '0' && value !== '1') {
          out.push({ type, kind: 'value', path, detail: `"${value}" where real exports have only 0/1` });
          continue;
        }
        if (/^-?\d+$/.test(value)) {
          const n = BigInt(value);
          if (n < INT64.min || n > INT64.max)
            out.push({ type, kind: 'value', path, detail: `${value} is outside the 64-bit integer range` });
        } else if (/^-?\d+(\.\d+)?e[-+]?\d+$/i.test(value))
          out.push({ type, kind: 'value', path, detail: `"${value}" is not a plain decimal number` });
      }
    }
  }
  for (const key of Object.keys(extras))
    if (!usedExtras.has(key))
      out.push({
        type: key.split(' ')[0] as ComponentType,
        kind: 'stale-extra',
        path: key,
        detail: 'listed in CORPUS_EXTRAS but no longer written',
      });
  return out;
}

/** Merges vocabularies (one per vendored export) into one per component type. */
export function mergeVocabularies(list: Iterable<Map<ComponentType, Vocabulary>>): Map<ComponentType, Vocabulary> {
  const out = new Map<ComponentType, Vocabulary>();
  for (const m of list)
    for (const [type, v] of m) {
      const into = out.get(type) ?? emptyVocabulary();
      for (const p of v.paths) into.paths.add(p);
      for (const [k, seqs] of v.order) into.order.set(k, [...(into.order.get(k) ?? []), ...seqs]);
      for (const [k, vals] of v.values) into.values.set(k, new Set([...(into.values.get(k) ?? []), ...vals]));
      out.set(type, into);
    }
  return out;
}
