// .resx → { key: text }, the same strings the platform serves through context.resources.getString.
import { readFile } from 'node:fs/promises';

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };

export function parseResx(xml: string): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const match of xml.matchAll(/<data\s+name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) {
    strings[match[1]!] = match[2]!.replace(/&(lt|gt|quot|apos|amp);/g, (e) => ENTITIES[e] ?? e);
  }
  return strings;
}

export async function readResx(path: string): Promise<Record<string, string>> {
  return parseResx(await readFile(path, 'utf8'));
}
