// Cloud flow definitions (Workflows/*.json) against talxis Flow.schema.json, compiled once with ajv.
import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { error, type Diagnostic } from '../diagnostics.ts';
import type { FileTree } from '../source.ts';

export const FLOW_SCHEMA_PATH = join(import.meta.dirname, 'schemas', 'talxis-unpacked', 'Flow.schema.json');

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(FLOW_SCHEMA_PATH, 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return compiled;
}

export function checkFlows(tree: FileTree): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [p, bytes] of tree) {
    if (!p.startsWith('Workflows/') || !p.endsWith('.json')) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      out.push(error(p, '(document)', `invalid JSON: ${(e as Error).message}`));
      continue;
    }
    const validate = validator();
    if (!validate(doc))
      for (const err of validate.errors ?? [])
        out.push(error(p, err.instancePath || '/', `Flow.schema.json: ${err.message ?? 'invalid'}`));
  }
  return out;
}
