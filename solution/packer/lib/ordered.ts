// Order-preserving XML (fast-xml-parser preserveOrder): used where documents are spliced into
// customizations.xml, so element order (which the Dataverse schema cares about) survives.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export interface ONode {
  [tag: string]: ONode[] | Record<string, string> | string | undefined;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
});
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
});

export function parseOrdered(xml: string): ONode[] {
  return (parser.parse(xml) as ONode[]).filter((n) => tagOf(n) !== '?xml');
}

export function buildOrdered(nodes: ONode[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${(builder.build(nodes) as string).trim()}\n`;
}

export function tagOf(n: ONode): string {
  return Object.keys(n).find((k) => k !== ':@') ?? '';
}

export function childrenOf(n: ONode): ONode[] {
  const v = n[tagOf(n)];
  return Array.isArray(v) ? v : [];
}

export function attrsOf(n: ONode): Record<string, string> {
  return (n[':@'] as Record<string, string> | undefined) ?? {};
}

export function el(tag: string, children: ONode[] = [], attrs?: Record<string, string>): ONode {
  const n: ONode = { [tag]: children };
  if (attrs && Object.keys(attrs).length)
    n[':@'] = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`@_${k}`, v]));
  return n;
}

export function textNode(value: string): ONode {
  return { '#text': value };
}

/** The single root element of a parsed document. */
export function rootOf(nodes: ONode[], file: string): ONode {
  const roots = nodes.filter((n) => !['#comment', '#text'].includes(tagOf(n)));
  if (roots.length !== 1) throw new Error(`${file}: expected one root element, found ${roots.length}`);
  return roots[0]!;
}

export function withChildren(n: ONode, children: ONode[]): ONode {
  const copy: ONode = { [tagOf(n)]: children };
  if (n[':@']) copy[':@'] = n[':@'];
  return copy;
}

/** Recursively finds elements by tag. */
export function findAll(nodes: ONode[], tag: string): ONode[] {
  const out: ONode[] = [];
  for (const n of nodes) {
    if (tagOf(n) === tag) out.push(n);
    out.push(...findAll(childrenOf(n), tag));
  }
  return out;
}

export function textOf(n: ONode | undefined): string {
  if (!n) return '';
  return childrenOf(n)
    .map((c) => (typeof c['#text'] === 'string' ? c['#text'] : String(c['#text'] ?? '')))
    .join('');
}

export function child(n: ONode, tag: string): ONode | undefined {
  return childrenOf(n).find((c) => tagOf(c) === tag);
}
