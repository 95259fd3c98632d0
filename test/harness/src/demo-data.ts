// Demo records for the forms, written through the emulator's Web API the way the proxy writes them
// (order-to-cash: capture with fees, FX and fraud score; a refund; a dispute; customer totals), plus a
// credit memo and a payout batch to act on. `tag` keeps records of parallel tests apart.
import {
  AlertType,
  CreditMemoStatus,
  DisputeReason,
  DisputeStage,
  DisputeStatus,
  PayoutBatchStatus,
  ReceiverType,
  RiskBand,
  State,
  TransactionKind,
  TransactionStatus,
} from '@ppc/solution'; // choice values: solution/packer/model/options.ts
import { linkDataverse } from './dataverse.ts';
import type { EmulatorUser } from './dataverse.ts';

export interface DemoRecords {
  accountId: string;
  contactId: string;
  salesOrderId: string;
  invoiceId: string;
  captureId: string;
  creditMemoId: string;
  payoutBatchId: string;
  /** a sales order whose capture PayPal declined, with a credit memo on that capture */
  declinedOrderId: string;
  declinedMemoId: string;
  /** a sales order whose capture is pending (PENDING_REVIEW) */
  pendingOrderId: string;
  /** a credit memo above the approval threshold, requested by the refund agent, waiting for PayPal Finance */
  approvalMemoId: string;
  /** a credit memo PayPal refused (REFUND_NOT_ALLOWED) */
  failedMemoId: string;
  /** a payout batch without items */
  emptyBatchId: string;
}

export interface DemoOptions {
  /** suffix for names and PayPal ids; default: random */
  tag?: string;
  /** user key that creates the payout batch (the batch creator); default financeuser */
  payoutCreator?: string;
  now?: Date;
}

const TABLES: Record<string, string> = {
  accounts: 'account',
  contacts: 'contact',
  salesorders: 'salesorder',
  invoices: 'invoice',
  ppc_paypaltransactions: 'ppc_paypaltransaction',
  ppc_disputes: 'ppc_dispute',
  ppc_fraudalerts: 'ppc_fraudalert',
  ppc_creditmemos: 'ppc_creditmemo',
  ppc_payoutbatches: 'ppc_payoutbatch',
  ppc_payoutitems: 'ppc_payoutitem',
};

function month(now: Date, back: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * The emulator seeds interactive users before it creates the solution's roles, so they miss
 * Refund Agent / Payout Approver / PayPal Finance; seeding the same users again assigns them
 * (idempotent: POST /_emulator/seed re-links roles by name).
 */
export async function repairRoleAssignments(dataverseUrl: string): Promise<void> {
  const url = dataverseUrl.replace(/\/+$/, '');
  const users = (await (await fetch(`${url}/_emulator/users`)).json()) as EmulatorUser[];
  const response = await fetch(`${url}/_emulator/seed`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ users }),
  });
  if (!response.ok) throw new Error(`re-seeding users failed: ${response.status} ${await response.text()}`);
}

export async function seedDemo(dataverseUrl: string, options: DemoOptions = {}): Promise<DemoRecords> {
  const dv = linkDataverse(dataverseUrl);
  const tag = options.tag ?? Math.random().toString(36).slice(2, 8).toUpperCase();
  const now = options.now ?? new Date();
  const admin = await dv.token('admin');
  const api = `${dv.url}/api/data/v9.2/`;

  /** POST with return=representation; the id column is the table's logical name + "id". */
  async function create(set: string, body: Record<string, unknown>, token = admin): Promise<string> {
    const table = TABLES[set];
    const response = await fetch(`${api}${set}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
        Prefer: 'return=representation',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`create ${set}: ${response.status} ${await response.text()}`);
    const row = (await response.json()) as Record<string, unknown>;
    return String(row[`${table}id`]);
  }

  const currencies = (await (
    await fetch(`${api}transactioncurrencies?$select=isocurrencycode`, {
      headers: { Authorization: `Bearer ${admin}` },
    })
  ).json()) as { value: { transactioncurrencyid: string; isocurrencycode: string }[] };
  const currency = (iso: string): string =>
    `/transactioncurrencies(${currencies.value.find((c) => c.isocurrencycode === iso)!.transactioncurrencyid})`;
  const priceLevels = (await (
    await fetch(`${api}pricelevels?$select=name&$top=1`, { headers: { Authorization: `Bearer ${admin}` } })
  ).json()) as { value: { pricelevelid: string }[] };
  const priceLevel = `/pricelevels(${priceLevels.value[0]!.pricelevelid})`;

  const monthly: Record<string, string> = {
    [month(now, 0)]: '100.00',
    [month(now, 2)]: '734.50',
    [month(now, 5)]: '400.00',
  };
  const spend = {
    ppc_totalspendbase: 1234.5,
    ppc_totalrefundedbase: 27.18,
    ppc_paymentcount: 3,
    ppc_refundcount: 1,
    ppc_refundratio: 0.022,
    ppc_firstpaymenton: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 3)).toISOString(),
    ppc_lastpaymenton: now.toISOString(),
    ppc_monthlyspendjson: JSON.stringify(monthly),
  };
  const accountId = await create('accounts', { name: `Contoso ${tag}`, ppc_paypalpayerid: `PAYER-A-${tag}`, ...spend });
  const contactId = await create('contacts', {
    firstname: 'Jamie',
    lastname: `Buyer ${tag}`,
    ppc_paypalpayerid: `PAYER-C-${tag}`,
    ...spend,
  });
  const salesOrderId = await create('salesorders', {
    name: `SO-${tag}`,
    'customerid_account@odata.bind': `/accounts(${accountId})`,
    'pricelevelid@odata.bind': priceLevel,
    'transactioncurrencyid@odata.bind': currency('EUR'),
  });
  const invoiceId = await create('invoices', {
    name: `INV-${tag}`,
    'customerid_account@odata.bind': `/accounts(${accountId})`,
    'pricelevelid@odata.bind': priceLevel,
    'transactioncurrencyid@odata.bind': currency('EUR'),
  });

  // what order-to-cash writes for a EUR 100.00 capture (fee 3.49) in a USD organisation
  const integration = await dv.token('integration');
  const captureId = await create(
    'ppc_paypaltransactions',
    {
      ppc_name: `Capture CAP-${tag}`,
      ppc_paypalid: `CAP-${tag}`,
      ppc_kind: TransactionKind.Capture,
      statecode: State.Active,
      statuscode: TransactionStatus.PartiallyRefunded,
      ppc_grossamount: 100,
      ppc_feeamount: 3.49,
      ppc_netamount: 96.51,
      ppc_refundedamount: 25,
      'transactioncurrencyid@odata.bind': currency('EUR'),
      ppc_basecurrencycode: 'USD',
      ppc_grossbaseamount: 108.7,
      ppc_feebaseamount: 3.79,
      ppc_netbaseamount: 104.91,
      ppc_transactiondate: new Date(now.getTime() - 3 * 86400000).toISOString(),
      ppc_fraudscore: 82,
      ppc_riskband: RiskBand.High,
      // as the proxy's scorer writes them (fraud/reasons.ts): the controls read the codes' texts from their resx in
      // the user's language, not the proxy's
      ppc_fraudreasons: JSON.stringify([
        { code: 'COUNTRY_MISMATCH', reason: 'Payer, shipping and currency countries do not match', contribution: 1.4 },
        {
          code: 'FIRST_PURCHASE_HIGH_VALUE',
          reason: 'First purchase of this customer, at a high value',
          contribution: 1.1,
        },
      ]),
      ppc_payerid: `PAYER-A-${tag}`,
      ppc_payeremail: `buyer-${tag.toLowerCase()}@example.com`,
      'ppc_salesorderid@odata.bind': `/salesorders(${salesOrderId})`,
      'ppc_invoiceid@odata.bind': `/invoices(${invoiceId})`,
      'ppc_accountid@odata.bind': `/accounts(${accountId})`,
    },
    integration,
  );
  await create(
    'ppc_paypaltransactions',
    {
      ppc_name: `Refund REF-${tag}`,
      ppc_paypalid: `REF-${tag}`,
      ppc_kind: TransactionKind.Refund,
      statecode: State.Active,
      statuscode: TransactionStatus.Completed,
      ppc_grossamount: 25,
      ppc_feeamount: 0.87,
      ppc_netamount: 24.13,
      'transactioncurrencyid@odata.bind': currency('EUR'),
      ppc_transactiondate: new Date(now.getTime() - 86400000).toISOString(),
      'ppc_parenttransactionid@odata.bind': `/ppc_paypaltransactions(${captureId})`,
    },
    integration,
  );
  await create(
    'ppc_disputes',
    {
      ppc_name: `Dispute PP-D-${tag}`,
      ppc_paypaldisputeid: `PP-D-${tag}`,
      ppc_disputedamount: 25,
      statecode: State.Active,
      statuscode: DisputeStatus.WaitingForSellerResponse,
      ppc_reason: DisputeReason.MerchandiseOrServiceNotReceived,
      ppc_stage: DisputeStage.Inquiry,
      ppc_sellerresponsedue: new Date(now.getTime() + 10 * 86400000).toISOString(),
      ppc_openedon: new Date(now.getTime() - 86400000).toISOString(),
      'transactioncurrencyid@odata.bind': currency('EUR'),
      'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${captureId})`,
    },
    integration,
  );
  await create(
    'ppc_fraudalerts',
    {
      ppc_name: `Fraud score 82 CAP-${tag}`,
      ppc_alertkey: `fraud:CAP-${tag}`,
      ppc_alerttype: AlertType.FraudScore,
      ppc_score: 82,
      ppc_band: RiskBand.High,
      'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${captureId})`,
      'ppc_salesorderid@odata.bind': `/salesorders(${salesOrderId})`,
    },
    integration,
  );

  const creditMemoId = await create('ppc_creditmemos', {
    ppc_name: `CM-${tag}`,
    ppc_amount: 40,
    'transactioncurrencyid@odata.bind': currency('EUR'),
    'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${captureId})`,
    'ppc_invoiceid@odata.bind': `/invoices(${invoiceId})`,
  });

  const creator = await dv.token(options.payoutCreator ?? 'financeuser');
  const payoutBatchId = await create(
    'ppc_payoutbatches',
    {
      ppc_name: `Payout ${tag}`,
      ppc_senderbatchid: `BATCH-${tag}`,
      statecode: State.Active,
      statuscode: PayoutBatchStatus.PendingApproval,
      'transactioncurrencyid@odata.bind': currency('EUR'),
    },
    creator,
  );
  const items: [string, number, string][] = [
    ['vendor-a@example.com', 1200, 'EUR'],
    ['vendor-a@example.com', 300, 'EUR'],
    ['big@example.com', 25000, 'USD'],
  ];
  for (const [i, [receiver, amount, iso]] of items.entries()) {
    await create(
      'ppc_payoutitems',
      {
        ppc_name: `Item ${i + 1}`,
        ppc_senderitemid: `BATCH-${tag}-${i + 1}`,
        ppc_receivertype: ReceiverType.Email,
        ppc_receiver: receiver,
        ppc_amount: amount,
        'transactioncurrencyid@odata.bind': currency(iso),
        'ppc_payoutbatchid@odata.bind': `/ppc_payoutbatches(${payoutBatchId})`,
      },
      creator,
    );
  }
  const emptyBatchId = await create(
    'ppc_payoutbatches',
    {
      ppc_name: `Empty payout ${tag}`,
      ppc_senderbatchid: `BATCH-EMPTY-${tag}`,
      statecode: State.Active,
      statuscode: PayoutBatchStatus.PendingApproval,
      'transactioncurrencyid@odata.bind': currency('EUR'),
    },
    creator,
  );

  /** Another order with one capture in `status` (what order-to-cash writes for it). */
  async function orderWithCapture(name: string, status: number, details?: string): Promise<[string, string]> {
    const orderId = await create('salesorders', {
      name: `${name}-${tag}`,
      'customerid_account@odata.bind': `/accounts(${accountId})`,
      'pricelevelid@odata.bind': priceLevel,
      'transactioncurrencyid@odata.bind': currency('USD'),
    });
    const id = await create(
      'ppc_paypaltransactions',
      {
        ppc_name: `Capture ${name}-${tag}`,
        ppc_paypalid: `CAP-${name}-${tag}`,
        ppc_kind: TransactionKind.Capture,
        statecode: status === TransactionStatus.Declined ? State.Inactive : State.Active,
        statuscode: status,
        ...(details ? { ppc_statusdetails: details } : {}),
        ppc_grossamount: 24,
        ppc_feeamount: 0,
        ppc_netamount: 24,
        ppc_refundedamount: 0,
        'transactioncurrencyid@odata.bind': currency('USD'),
        ppc_basecurrencycode: 'USD',
        ppc_transactiondate: now.toISOString(),
        'ppc_salesorderid@odata.bind': `/salesorders(${orderId})`,
        'ppc_accountid@odata.bind': `/accounts(${accountId})`,
      },
      integration,
    );
    return [orderId, id];
  }
  const [declinedOrderId, declinedCaptureId] = await orderWithCapture(
    'DECLINED',
    TransactionStatus.Declined,
    'INSTRUMENT_DECLINED',
  );
  const [pendingOrderId] = await orderWithCapture('PENDING', TransactionStatus.Pending, 'PENDING_REVIEW');
  const declinedMemoId = await create('ppc_creditmemos', {
    ppc_name: `CM-DECLINED-${tag}`,
    ppc_amount: 24,
    'transactioncurrencyid@odata.bind': currency('USD'),
    'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${declinedCaptureId})`,
  });
  const users = await dv.users();
  const agent = users.find((u) => u.key === 'refundagent');
  // what the proxy leaves on a memo above the threshold: Pending approval, the requester it recorded
  const approvalMemoId = await create(
    'ppc_creditmemos',
    {
      ppc_name: `CM-APPROVAL-${tag}`,
      ppc_amount: 60,
      'transactioncurrencyid@odata.bind': currency('EUR'),
      'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${captureId})`,
      statecode: State.Active,
      statuscode: CreditMemoStatus.PendingApproval,
      ...(agent ? { 'ppc_requestedby@odata.bind': `/systemusers(${agent.systemuserid})` } : {}),
    },
    integration,
  );
  // what the proxy leaves when PayPal refused: Failed with PayPal's issue and debug id
  const failedMemoId = await create(
    'ppc_creditmemos',
    {
      ppc_name: `CM-FAILED-${tag}`,
      ppc_amount: 5,
      'transactioncurrencyid@odata.bind': currency('EUR'),
      'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${captureId})`,
      statecode: State.Inactive,
      statuscode: CreditMemoStatus.Failed,
      ppc_paypalerror: 'REFUND_NOT_ALLOWED',
      ppc_failurereason: `REFUND_NOT_ALLOWED: PayPal POST /v2/payments/captures/CAP-${tag}/refund answered 422`,
      ppc_paypaldebugid: `dbg-${tag.toLowerCase()}`,
    },
    integration,
  );
  return {
    accountId,
    contactId,
    salesOrderId,
    invoiceId,
    captureId,
    creditMemoId,
    payoutBatchId,
    declinedOrderId,
    declinedMemoId,
    pendingOrderId,
    approvalMemoId,
    failedMemoId,
    emptyBatchId,
  };
}
