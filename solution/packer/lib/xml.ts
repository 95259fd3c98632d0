// One place for XML reading and writing (fast-xml-parser). Attributes are `@_name`, text is `#text`.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | number | boolean | XmlNode | XmlValue[] | undefined;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

/** Serialises `{ Root: {...} }` with an XML declaration; key order is output order (deterministic). */
export function toXml(doc: XmlNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(doc) as string}`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Keep document order for elements that can repeat: callers use asArray().
  isArray: () => false,
});

export function parseXml(text: string): XmlNode {
  return parser.parse(text) as XmlNode;
}

/** Well-formedness check; returns a message with line/column, or undefined. */
export function xmlError(text: string): string | undefined {
  const res = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (res === true) return undefined;
  return `${res.err.msg} (line ${res.err.line}, column ${res.err.col})`;
}

export function asArray<T = XmlNode>(v: unknown): T[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

export function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String((v as XmlNode)['#text'] ?? '');
  return String(v);
}
