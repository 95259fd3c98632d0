// Close per day and currency (pure): opening + movements = closing, tied to the report's own totals (SF/RF
// opening and closing balance) and to PayPal's balance (GET /v1/reporting/balances as of the window's end).
// Conversions are posted with their realised FX result: the converted amount leaves the source currency's
// clearing account at the base value it is carried at (ppc_fxrate booking rate of the day, or the base value
// booked for the payment it came from), arrives in the target currency at its base value; the difference is
// a gain (credit) or loss (debit) on the FX account of ppc_glaccountmap, in base currency.
import { LedgerPurpose, LedgerSide } from '../mapping/dataverse-values.ts';
import { convert, formatAmount, money, type Money } from '../mapping/money.ts';
import type { PostingRules } from '../mapping/ledger.ts';
import type { Break, Conversion, CurrencyMovement } from './matcher.ts';
import type { CurrencyTotals } from './report-parser.ts';

export interface CurrencyClose {
  currency: string;
  openingMinor: number | null;
  movementMinor: number;
  closingMinor: number | null;
  reportClosingMinor: number | null;
  paypalBalanceMinor: number | null;
  rows: number;
  grossCreditMinor: number;
  grossDebitMinor: number;
  feeMinor: number;
  ties: boolean;
}

export function closeDay(
  movements: Map<string, CurrencyMovement>,
  reportTotals: Map<string, CurrencyTotals>,
  balances: Map<string, number> | undefined,
): { closes: CurrencyClose[]; breaks: Break[] } {
  const currencies = new Set([...movements.keys(), ...reportTotals.keys()]);
  const closes: CurrencyClose[] = [];
  const breaks: Break[] = [];
  for (const currency of [...currencies].sort()) {
    const m = movements.get(currency);
    const t = reportTotals.get(currency);
    const movement = m?.netMinor ?? 0;
    const opening = t?.openingMinor ?? null;
    const closing = opening === null ? null : opening + movement;
    const reportClosing = t?.closingMinor ?? null;
    const paypal = balances?.get(currency) ?? null;
    const problems: string[] = [];
    if (closing !== null && reportClosing !== null && closing !== reportClosing)
      problems.push(`the report's closing balance is ${fmt(reportClosing, currency)}`);
    if (closing !== null && paypal !== null && closing !== paypal)
      problems.push(`PayPal's balance at the end of the day is ${fmt(paypal, currency)}`);
    closes.push({
      currency,
      openingMinor: opening,
      movementMinor: movement,
      closingMinor: closing,
      reportClosingMinor: reportClosing,
      paypalBalanceMinor: paypal,
      rows: m?.rows ?? 0,
      grossCreditMinor: m?.grossCreditMinor ?? 0,
      grossDebitMinor: m?.grossDebitMinor ?? 0,
      feeMinor: (m?.feeCreditMinor ?? 0) - (m?.feeDebitMinor ?? 0),
      ties: problems.length === 0 && closing !== null,
    });
    if (problems.length && closing !== null) {
      const other = reportClosing !== null && reportClosing !== closing ? reportClosing : (paypal ?? closing);
      breaks.push({
        kind: 'balance',
        subject: `balance:${currency}`,
        currency,
        paypalMinor: other,
        bookedMinor: closing,
        differenceMinor: other - closing,
        explanation: `${currency}: opening ${fmt(opening!, currency)} plus the day's movements ${fmt(movement, currency)} gives ${fmt(closing, currency)}, but ${problems.join(' and ')}: an unexplained balance movement.`,
        action:
          'Compare the day in PayPal’s activity with the report rows; a row missing from the report is asked from PayPal.',
      });
    }
  }
  return { closes, breaks };
}

const fmt = (minor: number, currency: string) => {
  try {
    return `${formatAmount(money(minor, currency))} ${currency}`;
  } catch {
    return `${minor} ${currency}`;
  }
};

export interface FxLine {
  lineNo: number;
  purpose: number;
  side: number;
  accountCode: string;
  amount: Money;
  base: Money;
  description: string;
}

export interface FxPosting {
  sourceId: string;
  date: string;
  rate?: string;
  lines: FxLine[];
  /** positive gain, negative loss, in base minor units */
  resultMinor: number;
}

/**
 * The journal of one conversion, balanced in base currency. `carried` is the base value of the source amount
 * as booked (undefined: valued at the ppc_fxrate booking rate of the day). Throws when an account or a rate
 * is missing: the caller turns it into a break instead of guessing.
 */
export function postConversion(c: Conversion, rules: PostingRules, carried?: Money): FxPosting {
  const base = rules.baseCurrency;
  const date = c.from.date.slice(0, 10);
  const out = money(-c.from.amountMinor, c.from.currency);
  const into = money(c.to.amountMinor, c.to.currency);
  const valued = (m: Money, what: string): { base: Money; rate?: string } => {
    if (m.currency === base) return { base: m };
    const rate = rules.fxRate(m.currency, base, date);
    if (!rate) throw new Error(`no ppc_fxrate ${m.currency}→${base} on or before ${date} to value the ${what}`);
    return { base: convert(m, rate, base), rate };
  };
  const outBase = carried ?? valued(out, 'converted amount').base;
  const intoValued = valued(into, 'amount received');
  const account = (purpose: number, currency: string, name: string) => {
    const code = rules.account(purpose, currency);
    if (!code) throw new Error(`no GL account mapped for ${name} in ${currency} (ppc_glaccountmap)`);
    return code;
  };
  const desc = `PayPal conversion ${fmt(out.minor, out.currency)} → ${fmt(into.minor, into.currency)}`;
  const lines: FxLine[] = [
    {
      lineNo: 1,
      purpose: LedgerPurpose.Clearing,
      side: LedgerSide.Debit,
      accountCode: account(LedgerPurpose.Clearing, into.currency, 'PayPal clearing'),
      amount: into,
      base: intoValued.base,
      description: desc,
    },
    {
      lineNo: 2,
      purpose: LedgerPurpose.Clearing,
      side: LedgerSide.Credit,
      accountCode: account(LedgerPurpose.Clearing, out.currency, 'PayPal clearing'),
      amount: out,
      base: outBase,
      description: desc,
    },
  ];
  const result = intoValued.base.minor - outBase.minor;
  if (result !== 0) {
    const gain = result > 0;
    const purpose = gain ? LedgerPurpose.FxGain : LedgerPurpose.FxLoss;
    const amount = money(Math.abs(result), base);
    lines.push({
      lineNo: 3,
      purpose,
      side: gain ? LedgerSide.Credit : LedgerSide.Debit,
      accountCode: account(purpose, base, gain ? 'FX gain' : 'FX loss'),
      amount,
      base: amount,
      description: `Realised FX ${gain ? 'gain' : 'loss'} on ${desc}`,
    });
  }
  const rate = intoValued.rate ?? (out.currency === base ? undefined : rules.fxRate(out.currency, base, date));
  return { sourceId: `FX:${c.from.transactionId}`, date, ...(rate ? { rate } : {}), lines, resultMinor: result };
}
