// XML parsing shared by the solution readers. fast-xml-parser keeps attributes under `@_name`;
// elements that repeat in Microsoft's schema are always arrays so readers never branch on shape.
import { XMLParser } from 'fast-xml-parser';

const ARRAY_TAGS = new Set([
  'Entity',
  'attribute',
  'option',
  'state',
  'status',
  'EntityKey',
  'AttributeName',
  'LookupType',
  'EntityRelationship',
  'EntityRelationshipRole',
  'Role',
  'RolePrivilege',
  'label',
  'LocalizedName',
  'LocalizedCollectionName',
  'ServiceEndpoint',
  'SdkMessageProcessingStep',
  'SdkMessageProcessingStepImage',
  'environmentvariabledefinition',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});

export type XmlNode = Record<string, unknown>;

export function parseXml(text: string): XmlNode {
  return parser.parse(text) as XmlNode;
}

export function child(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  if (Array.isArray(v)) return v[0] as XmlNode | undefined;
  return v && typeof v === 'object' ? (v as XmlNode) : undefined;
}

export function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'object' ? (x as XmlNode) : { '#text': String(x) }));
}

export function text(node: unknown, name?: string): string | undefined {
  const v = name === undefined ? node : node && typeof node === 'object' ? (node as XmlNode)[name] : undefined;
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined || one === null) return undefined;
  if (typeof one === 'object') {
    const t = (one as XmlNode)['#text'];
    return t === undefined ? undefined : String(t);
  }
  return String(one);
}

export function attrOf(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return v === undefined ? undefined : String(v);
}

export function firstLabel(node: XmlNode | undefined, container: string, item: string): string | undefined {
  const list = children(child(node, container), item);
  return list.length ? attrOf(list[0], 'description') : undefined;
}
