// System pricing for order and invoice lines (MS docs sales "How pricing is calculated"):
// line baseamount = priceperunit × quantity, extendedamount = baseamount − manualdiscountamount + tax;
// header totallineitemamount = Σ(baseamount − manualdiscountamount), totaltax = Σ tax,
// totalamount = totallineitemamount − discountamount + freightamount + totaltax.
// Recomputed whenever a line is written, so headers always agree with their lines.
import type { OpContext } from './context.ts';

const LINES: Record<string, { header: string; key: string }> = {
  salesorderdetail: { header: 'salesorder', key: 'salesorderid' },
  invoicedetail: { header: 'invoice', key: 'invoiceid' },
};

export function isLineTable(table: string): boolean {
  return table in LINES;
}

export async function recalculateLine(ctx: OpContext, table: string, lineId: string): Promise<string | undefined> {
  const spec = LINES[table];
  if (!spec) return undefined;
  const r = await ctx.tx.query<{ parent: string | null }>(
    `UPDATE "t_${table}" SET
       baseamount = COALESCE(priceperunit, 0) * COALESCE(quantity, 0),
       extendedamount = COALESCE(priceperunit, 0) * COALESCE(quantity, 0) - COALESCE(manualdiscountamount, 0) + COALESCE(tax, 0)
     WHERE "${table}id" = $1 RETURNING "${spec.key}" AS parent`,
    [lineId],
  );
  return r.rows[0]?.parent ?? undefined;
}

export async function recalculateHeader(
  ctx: OpContext,
  table: string,
  headerId: string | undefined | null,
): Promise<void> {
  const spec = LINES[table];
  if (!spec || !headerId) return;
  await ctx.tx.query(
    `UPDATE "t_${spec.header}" h SET
       totallineitemamount = s.lines, totaltax = s.tax,
       totalamount = s.lines - COALESCE(h.discountamount, 0) + COALESCE(h.freightamount, 0) + s.tax,
       versionnumber = nextval('dv_version')
     FROM (SELECT COALESCE(SUM(COALESCE(baseamount, 0) - COALESCE(manualdiscountamount, 0)), 0) AS lines,
                  COALESCE(SUM(COALESCE(tax, 0)), 0) AS tax
             FROM "t_${table}" WHERE "${spec.key}" = $1) s
     WHERE h."${spec.header}id" = $1`,
    [headerId],
  );
}
