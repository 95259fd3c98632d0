// Reference data a finance admin sets up after importing the solution: price lists, products with SKUs
// (and the fallback product), the GL account map, booking FX rates and the ppc_* environment variables.
import { FxRateSource, GlPurpose } from '@ppc/solution';
import type { DataverseAdmin } from './dataverse-admin.ts';

export const FALLBACK_SKU = 'PAYPAL-MISC';
export const DEMO_PRODUCTS = [
  { productnumber: 'SKU-MUG', name: 'Coffee mug', price: 15, quantityonhand: 100 },
  { productnumber: 'SKU-TEE', name: 'T-shirt', price: 25, quantityonhand: 50 },
  { productnumber: 'SKU-CAP', name: 'Cap', price: 12, quantityonhand: 40 },
  { productnumber: FALLBACK_SKU, name: 'PayPal item (unmatched SKU)', price: 0 },
];
const PURPOSE = GlPurpose;

export async function seedReferenceData(
  dv: DataverseAdmin,
  seedControl: (body: unknown) => Promise<void>,
  options: { fxDate?: string } = {},
) {
  await seedControl({
    products: DEMO_PRODUCTS.map((p) => ({
      productnumber: p.productnumber,
      name: p.name,
      price: p.price,
      ...(p.quantityonhand !== undefined ? { quantityonhand: p.quantityonhand } : {}),
    })),
  });
  const currencies = await dv.list<{ transactioncurrencyid: string; isocurrencycode: string }>(
    'transactioncurrencies',
    '$select=transactioncurrencyid,isocurrencycode',
  );
  const existingLevels = await dv.list<{ _transactioncurrencyid_value: string }>(
    'pricelevels',
    '$select=_transactioncurrencyid_value',
  );
  for (const c of currencies) {
    if (existingLevels.some((l) => l._transactioncurrencyid_value === c.transactioncurrencyid)) continue;
    await dv.create('pricelevels', {
      name: `${c.isocurrencycode} Price List`,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${c.transactioncurrencyid})`,
    });
  }
  const gl: [keyof typeof PURPOSE, string, string][] = [
    ...currencies.map(
      (c) => ['Clearing', c.isocurrencycode, `1010-${c.isocurrencycode}`] as [keyof typeof PURPOSE, string, string],
    ),
    ['FeeExpense', 'XXX', '6100'],
    ['Receivable', 'XXX', '1200'],
    ['FxGain', 'XXX', '7100'],
    ['FxLoss', 'XXX', '7200'],
    ['Refunds', 'XXX', '4900'],
    ['Chargeback', 'XXX', '4910'],
    ['ChargebackFee', 'XXX', '6110'],
    ['HeldFunds', 'XXX', '1020'],
    ['Payable', 'XXX', '2000'],
  ];
  for (const [purpose, currency, code] of gl) {
    await dv.create('ppc_glaccountmaps', {
      ppc_name: `${purpose} ${currency}`,
      ppc_purpose: PURPOSE[purpose],
      ppc_currencycode: currency,
      ppc_accountcode: code,
    });
  }
  const date = options.fxDate ?? '2020-01-01';
  for (const [from, rate] of [
    ['EUR', '1.10'],
    ['GBP', '1.27'],
    ['JPY', '0.0067'],
    ['CAD', '0.73'],
  ] as const) {
    await dv.create('ppc_fxrates', {
      ppc_name: `${from}USD ${date}`,
      ppc_pair: `${from}USD`,
      ppc_fromcurrency: from,
      ppc_tocurrency: 'USD',
      ppc_ratedate: date,
      ppc_rate: Number(rate),
      ppc_source: FxRateSource.Manual,
    });
  }
  await setEnvironmentVariable(dv, 'ppc_FallbackProductNumber', FALLBACK_SKU);
  await setEnvironmentVariable(dv, 'ppc_BaseCurrency', 'USD');
}

export async function setEnvironmentVariable(dv: DataverseAdmin, schemaName: string, value: string) {
  const [def] = await dv.list<{ environmentvariabledefinitionid: string }>(
    'environmentvariabledefinitions',
    `$select=environmentvariabledefinitionid&$filter=schemaname eq '${schemaName}'`,
  );
  if (!def) throw new Error(`environment variable ${schemaName} is not in the solution`);
  await dv.create('environmentvariablevalues', {
    schemaname: `${schemaName}_value`,
    value,
    'EnvironmentVariableDefinitionId@odata.bind': `/environmentvariabledefinitions(${def.environmentvariabledefinitionid})`,
  });
}
