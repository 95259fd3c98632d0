// The review job: the reviewer is the webhook's InitiatingUserId and must hold PayPal Finance; a refused verdict
// puts the alert back Under Review and changes nothing else; Mark safe releases the order's hold; Confirm fraud
// opens a Draft credit memo (no money moves) — both store a label.
import { describe, expect, it } from '@jest/globals';
import { CreditMemoOrigin, FraudAlertStatus, AlertType } from '@ppc/solution';
import type { BatchOp, DataversePort } from '../../src/adapters/dataverse/types.ts';
import type { Sql } from '../../src/adapters/store/store.ts';
import { fraudReviewed } from '../../src/fraud/review.ts';
import type { HandlerContext } from '../../src/flows/handlers.ts';
import { createLogger } from '../../src/logger.ts';

const FINANCE = '5f0c7a6e-0000-4000-8000-000000000006';
const ADMIN = '5f0c7a6e-0000-4000-8000-000000000002';
const ALERT = 'aaaaaaaa-0000-4000-8000-000000000001';
const TXN = 'bbbbbbbb-0000-4000-8000-000000000001';
const ORDER = 'cccccccc-0000-4000-8000-000000000001';
const INVOICE = 'dddddddd-0000-4000-8000-000000000001';

function fakes(statuscode: number, roles: Record<string, string[]>, alertType: number = AlertType.FraudScore) {
  const sets: BatchOp[][] = [];
  const queries: unknown[][] = [];
  const dataverse = {
    get: (path: string) =>
      Promise.resolve(
        path.startsWith('ppc_fraudalerts')
          ? {
              ppc_alertkey: 'fraud|CAP7',
              ppc_alerttype: alertType,
              statuscode,
              ppc_reviewnotes: 'called the bank',
              _ppc_transactionid_value: TXN,
              _ppc_salesorderid_value: ORDER,
            }
          : { ppc_grossamount: 2500, _transactioncurrencyid_value: 'usd-id', _ppc_invoiceid_value: INVOICE },
      ),
    query: (_set: string, q: string) => {
      const user = /systemuserid eq ([0-9a-f-]+)/.exec(q)?.[1] ?? '';
      return Promise.resolve([{ systemuserroles_association: (roles[user] ?? []).map((name) => ({ name })) }]);
    },
    changeSet: (ops: BatchOp[]) => {
      sets.push(ops);
      return Promise.resolve([]);
    },
  } as unknown as DataversePort;
  const store: Sql = {
    query: (text: string, params?: unknown[]) => {
      queries.push([text, ...(params ?? [])]);
      return Promise.resolve({ rows: [] });
    },
  };
  return { dataverse, store, sets, queries };
}
const ctx = (event: unknown): HandlerContext =>
  ({ event, log: createLogger('silent'), store: {} as Sql }) as unknown as HandlerContext;
const event = (statuscode: number, user?: string, runAs = FINANCE) => ({
  PrimaryEntityId: ALERT,
  ...(user ? { InitiatingUserId: user } : {}),
  UserId: runAs,
  PostEntityImages: [
    { key: 'PostImage', value: { Attributes: [{ key: 'statuscode', value: { Value: statuscode } }] } },
  ],
});
const roles = { [FINANCE]: ['PayPal Finance'], [ADMIN]: ['System Administrator'] };

describe('fraud review job', () => {
  it('Mark safe by PayPal Finance: reviewer and time on the alert, hold released, label 0', async () => {
    const f = fakes(FraudAlertStatus.MarkedSafe, roles);
    await fraudReviewed({ ...f, now: () => new Date('2026-03-02T09:00:00Z') })(
      ctx(event(FraudAlertStatus.MarkedSafe, FINANCE)),
    );
    expect(f.sets).toHaveLength(1);
    expect(f.sets[0]).toEqual([
      {
        method: 'PATCH',
        url: `ppc_fraudalerts(${ALERT})`,
        body: { 'ppc_reviewedby@odata.bind': `/systemusers(${FINANCE})`, ppc_reviewedon: '2026-03-02T09:00:00.000Z' },
        ifMatch: '*',
      },
      { method: 'PATCH', url: `salesorders(${ORDER})`, body: { ppc_fraudhold: false }, ifMatch: '*' },
    ]);
    expect(f.queries[0]!.slice(1)).toEqual(['CAP7', 0, ALERT, FINANCE, '2026-03-02T09:00:00.000Z', 'called the bank']);
  });

  it("the attacker's versions: no PayPal Finance role, or only a run-as UserId naming a finance user → refused, nothing released, no label", async () => {
    for (const e of [
      event(FraudAlertStatus.MarkedSafe, ADMIN),
      event(FraudAlertStatus.MarkedSafe, undefined, FINANCE),
    ]) {
      const f = fakes(FraudAlertStatus.MarkedSafe, roles);
      await fraudReviewed(f)(ctx(e));
      expect(f.sets).toHaveLength(1);
      expect(f.sets[0]).toHaveLength(1);
      expect(f.sets[0]![0]).toMatchObject({
        url: `ppc_fraudalerts(${ALERT})`,
        body: { statecode: 0, statuscode: FraudAlertStatus.UnderReview, 'ppc_reviewedby@odata.bind': null },
      });
      expect(String(f.sets[0]![0]!.body!.ppc_reviewnotes)).toMatch(/^Review refused: /);
      expect(f.queries).toEqual([]);
    }
  });

  it('Confirm fraud: hold kept, a Draft credit memo for the whole payment created once, label 1', async () => {
    const f = fakes(FraudAlertStatus.ConfirmedFraud, roles);
    await fraudReviewed(f)(ctx(event(FraudAlertStatus.ConfirmedFraud, FINANCE)));
    expect(f.sets).toHaveLength(2);
    expect(f.sets[0]!.some((o) => o.url.startsWith('salesorders'))).toBe(false);
    const [memo] = f.sets[1]!;
    expect(memo).toMatchObject({
      method: 'PATCH',
      ifNoneMatch: '*',
      body: {
        ppc_amount: 2500,
        ppc_origin: CreditMemoOrigin.Dynamics365,
        'ppc_invoiceid@odata.bind': `/invoices(${INVOICE})`,
        'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${TXN})`,
      },
    });
    expect(memo!.body).not.toHaveProperty('statuscode');
    expect(f.queries[0]![2]).toBe(1);
  });

  it('an update that is not a verdict, or a verdict changed since, does nothing', async () => {
    const f = fakes(FraudAlertStatus.UnderReview, roles);
    await fraudReviewed(f)(ctx(event(FraudAlertStatus.UnderReview, FINANCE)));
    const g = fakes(FraudAlertStatus.UnderReview, roles);
    await fraudReviewed(g)(ctx(event(FraudAlertStatus.MarkedSafe, FINANCE)));
    expect([...f.sets, ...g.sets, ...f.queries, ...g.queries]).toEqual([]);
  });
});
