// Drift guard: every table and column in shared/names.ts must exist in the solution
// (solution/src/Entities/*/Entity.xml), so a rename there fails here. Choice values are imported from
// @ppc/solution's options, so they cannot drift.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import * as names from '../shared/names';

const entities = join(import.meta.dirname, '..', '..', 'solution', 'src', 'Entities');

function columnsOf(table: string): Set<string> {
  const xml = readFileSync(join(entities, table, 'Entity.xml'), 'utf8');
  return new Set([...xml.matchAll(/<LogicalName>([^<]+)<\/LogicalName>/g)].map((m) => m[1]!.toLowerCase()));
}

/** `_ppc_invoiceid_value` → `ppc_invoiceid`; annotations are not columns. */
function logical(column: string): string {
  return column.replace(/^_(.*)_value$/, '$1');
}

const columnSets: [string, Record<string, string>][] = [
  [names.Tables.transaction, names.Transaction],
  [names.Tables.creditMemo, names.CreditMemo],
  [names.Tables.payoutBatch, names.PayoutBatch],
  [names.Tables.payoutItem, names.PayoutItem],
  [names.Tables.fraudAlert, names.FraudAlert],
  [names.Tables.dispute, names.Dispute],
  [names.Tables.account, names.Customer],
  [names.Tables.contact, names.Customer],
  [names.Tables.salesOrder, names.SalesOrderFraud],
  [names.Tables.invoice, names.SalesOrderFraud],
  [names.Tables.creditMemo, names.Common],
  [names.Tables.payoutBatch, names.Common],
];

describe('names match the solution data model', () => {
  it.each(columnSets)('%s has the columns the controls read', (table, columns) => {
    expect(existsSync(join(entities, table, 'Entity.xml'))).toBe(true);
    const known = columnsOf(table);
    const missing = Object.values(columns)
      .map(logical)
      .filter((c) => !known.has(c) && !(c === `${table}id`));
    expect(missing).toEqual([]);
  });
});
