// Transaction Search v1 (reporting_transactions_v1.json): /v1/reporting/transactions and
// /v1/reporting/balances, both read from the account ledger. Note the spec's server bug
// (servers = https://api-m.paypal.com/v1/reporting while paths repeat /v1/reporting): we serve the paths.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import type { LedgerEntry } from '../core/state.ts';
import { errors } from '../core/errors.ts';
import { money } from '../core/money.ts';
import { balances } from './ledger.ts';

type Json = Record<string, unknown>;
const MAX_RANGE_MS = 31 * 86_400_000;
const SAFE_TEXT = /[^a-zA-Z0-9_'\-., ":;!?]/g; // the spec's pattern for subject/note/invoice/custom fields

function isoNoMillis(ms: number): string {
  // Real responses show +0000 offsets; the spec's date_time pattern requires Z or +00:00, so we follow the spec.
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function txnInfo(emu: Emulator, e: LedgerEntry, endingBalance: number | undefined): Json {
  return {
    ...(e.payer ? { paypal_account_id: e.payer.payerId } : {}),
    transaction_id: e.transactionId,
    ...(e.referenceId
      ? { paypal_reference_id: e.referenceId.replace(/[^a-zA-Z0-9]/g, ''), paypal_reference_id_type: e.referenceIdType }
      : {}),
    transaction_event_code: e.eventCode,
    transaction_initiation_date: isoNoMillis(Date.parse(e.initiationTime)),
    transaction_updated_date: isoNoMillis(Date.parse(e.updatedTime)),
    transaction_amount: money(e.amountMinor, e.currency),
    // "only when a transaction fee is applied"; signed (negative when charged).
    ...(e.feeMinor ? { fee_amount: money(e.feeMinor, e.currency) } : {}),
    transaction_status: e.status,
    ...(e.subject ? { transaction_subject: e.subject.replace(SAFE_TEXT, ' ') } : {}),
    ...(e.note ? { transaction_note: e.note.replace(SAFE_TEXT, ' ') } : {}),
    ...(endingBalance !== undefined
      ? { ending_balance: money(endingBalance, e.currency), available_balance: money(endingBalance, e.currency) }
      : {}),
    ...(e.bankReferenceId ? { bank_reference_id: e.bankReferenceId } : {}),
    ...(e.invoiceId ? { invoice_id: e.invoiceId.replace(SAFE_TEXT, ' ') } : {}),
    ...(e.customId ? { custom_field: e.customId.replace(SAFE_TEXT, ' ') } : {}),
    protection_eligibility: e.eventCode === 'T0006' ? '01' : '02',
  };
}

function payerInfo(e: LedgerEntry): Json | undefined {
  if (!e.payer) return undefined;
  return {
    account_id: e.payer.payerId,
    email_address: e.payer.email,
    address_status: 'Y',
    payer_status: 'Y',
    payer_name: {
      given_name: e.payer.givenName,
      surname: e.payer.surname,
      alternate_full_name: `${e.payer.givenName} ${e.payer.surname}`,
    },
    country_code: e.payer.countryCode,
  };
}

function parseDate(field: string, v: string | null): number {
  if (!v) throw errors.missingField(field, 'query');
  // RFC 3339 with seconds, e.g. 2026-01-01T00:00:00-0700 or ...Z
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/.test(v))
    throw errors.invalidField(field, v, 'query', 'INVALID_PARAMETER_SYNTAX');
  return Date.parse(v.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

export function reportingRoutes(emu: Emulator): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/reporting/transactions',
      handler: ({ query }) => {
        const from = parseDate('start_date', query.get('start_date'));
        const to = parseDate('end_date', query.get('end_date'));
        if (to < from)
          throw errors.invalidField(
            'end_date',
            query.get('end_date'),
            'query',
            'INVALID_PARAMETER_VALUE',
            'End date must be after start date.',
          );
        if (to - from > MAX_RANGE_MS)
          throw errors.invalidField(
            'end_date',
            query.get('end_date'),
            'query',
            'INVALID_PARAMETER_VALUE',
            'Date range is greater than 31 days',
          );
        const pageSize = Number(query.get('page_size') ?? 100);
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
          throw errors.invalidField('page_size', query.get('page_size'), 'query');
        const page = Number(query.get('page') ?? 1);
        if (!Number.isInteger(page) || page < 1) throw errors.invalidField('page', query.get('page'), 'query');
        const id = query.get('transaction_id');
        const type = query.get('transaction_type');
        const status = query.get('transaction_status');
        const currency = query.get('transaction_currency');
        const range = query.get('transaction_amount');
        const amountRange = range ? /^\[\s*(-?\d+)\s+TO\s+(-?\d+)\s*\]$/.exec(range) : null;
        if (range && !amountRange)
          throw errors.invalidField('transaction_amount', range, 'query', 'INVALID_PARAMETER_SYNTAX');
        const balanceOnly = (query.get('balance_affecting_records_only') ?? 'Y') === 'Y';
        const fields = (query.get('fields') ?? 'transaction_info').split(',');
        const all = fields.includes('all');
        const filtered = !!(id || type || status || currency || range);

        // Running balance per currency over the whole ledger (ending_balance is omitted when filters are used).
        const running = new Map<string, number>();
        const withBalance = emu.state.ledger.map((e) => {
          if (e.balanceAffecting && e.status !== 'D')
            running.set(e.currency, (running.get(e.currency) ?? 0) + e.amountMinor + e.feeMinor);
          return { e, balance: running.get(e.currency) ?? 0 };
        });
        const rows = withBalance.filter(({ e }) => {
          const t = Date.parse(e.initiationTime);
          if (t < from || t > to) return false;
          if (balanceOnly && !e.balanceAffecting) return false;
          if (id && e.transactionId !== id) return false;
          if (type && e.eventCode !== type) return false;
          if (status && e.status !== status) return false;
          if (currency && e.currency !== currency) return false;
          if (amountRange && (e.amountMinor < Number(amountRange[1]) || e.amountMinor > Number(amountRange[2])))
            return false;
          return true;
        });
        const pageRows = rows.slice((page - 1) * pageSize, page * pageSize);
        const totalPages = Math.max(1, Math.ceil(rows.length / pageSize));
        const base = `/v1/reporting/transactions?start_date=${encodeURIComponent(query.get('start_date')!)}&end_date=${encodeURIComponent(query.get('end_date')!)}&page_size=${pageSize}`;
        const links: Json[] = [{ href: emu.link(`${base}&page=${page}`), rel: 'self', method: 'GET' }];
        if (page < totalPages) links.push({ href: emu.link(`${base}&page=${page + 1}`), rel: 'next', method: 'GET' });
        return {
          status: 200,
          body: {
            transaction_details: pageRows.map(({ e, balance }) => {
              const payer = all || fields.includes('payer_info') ? payerInfo(e) : undefined;
              return {
                transaction_info: txnInfo(emu, e, filtered || !e.balanceAffecting ? undefined : balance),
                ...(payer ? { payer_info: payer } : {}),
              };
            }),
            account_number: emu.config.merchant.accountId,
            start_date: isoNoMillis(from),
            end_date: isoNoMillis(to),
            last_refreshed_datetime: isoNoMillis(emu.clock.now().getTime()),
            page,
            total_items: rows.length,
            total_pages: totalPages,
            links,
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/reporting/balances',
      handler: ({ query }) => {
        const asOfParam = query.get('as_of_time');
        const asOf = asOfParam ? parseDate('as_of_time', asOfParam) : emu.clock.now().getTime();
        const only = query.get('currency_code');
        const totals = balances(emu, asOf);
        const primary = emu.config.merchant.primaryCurrency;
        if (!totals.has(primary)) totals.set(primary, 0);
        // Funds held for open disputes (T1110 not yet released) are withheld.
        const withheld = new Map<string, number>();
        for (const d of Object.values(emu.state.disputes)) {
          if (d.status !== 'RESOLVED')
            withheld.set(String(d.currency), (withheld.get(String(d.currency)) ?? 0) + Number(d.amountMinor));
        }
        const list = [...totals.entries()]
          .filter(([c]) => !only || c === only)
          .map(([currency, available]) => {
            const held = withheld.get(currency) ?? 0;
            return {
              currency,
              primary: currency === primary,
              total_balance: money(available + held, currency),
              available_balance: money(available, currency),
              withheld_balance: money(held, currency),
            };
          });
        return {
          status: 200,
          body: {
            balances: list,
            account_id: emu.config.merchant.accountId,
            as_of_time: isoNoMillis(asOf),
            last_refresh_time: isoNoMillis(emu.clock.now().getTime()),
          },
        };
      },
    },
  ];
}
