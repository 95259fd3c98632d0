// A buyer paying through PayPal, against the PayPal emulator: the merchant creates an order, the buyer
// approves it (emulator control API), the merchant captures it. PayPal then sends the signed webhook.
import { paypalDecimals } from '@ppc/proxy-service/minor-units';

export interface Purchase {
  orderId: string;
  captureId: string;
  status: string;
}

export interface BuyerOptions {
  currency: string;
  items: { sku?: string; name: string; quantity: number; unitValue: string }[];
  payer?: { payer_id?: string; given_name?: string; surname?: string; email?: string; country_code?: string };
  invoiceId?: string;
  customId?: string;
  /** where the buyer ships to (Orders v2 shipping_detail.address), e.g. abroad for a fraud test */
  shipping?: {
    address_line_1?: string;
    admin_area_2?: string;
    postal_code?: string;
    country_code: string;
  };
  /** the next capture's outcome, e.g. PENDING or DECLINED */
  outcome?: 'COMPLETED' | 'PENDING' | 'DECLINED';
}

export async function buyerPays(paypalUrl: string, token: string, o: BuyerOptions): Promise<Purchase> {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(path, paypalUrl), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        prefer: 'return=representation',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const decimals = paypalDecimals(o.currency);
  const itemTotal = o.items.reduce((s, i) => s + Math.round(Number(i.unitValue) * 10 ** decimals) * i.quantity, 0);
  const fmt = (minor: number) => (decimals ? (minor / 10 ** decimals).toFixed(decimals) : String(minor));
  const order = await call('POST', '/v2/checkout/orders', {
    intent: 'CAPTURE',
    purchase_units: [
      {
        ...(o.invoiceId ? { invoice_id: o.invoiceId } : {}),
        ...(o.customId ? { custom_id: o.customId } : {}),
        amount: {
          currency_code: o.currency,
          value: fmt(itemTotal),
          breakdown: { item_total: { currency_code: o.currency, value: fmt(itemTotal) } },
        },
        items: o.items.map((i) => ({
          name: i.name,
          ...(i.sku ? { sku: i.sku } : {}),
          quantity: String(i.quantity),
          unit_amount: { currency_code: o.currency, value: i.unitValue },
        })),
      },
    ],
  });
  const orderId = String(order.id);
  await fetch(new URL(`/_emulator/orders/${orderId}/approve`, paypalUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Orders v2 payer shape (the emulator refuses unknown keys).
    body: JSON.stringify({
      payer: {
        payer_id: o.payer?.payer_id ?? 'ADABUYER2345A',
        name: { given_name: o.payer?.given_name ?? 'Ada', surname: o.payer?.surname ?? 'Lovelace' },
        email_address: o.payer?.email ?? 'ada@example.com',
        address: { country_code: o.payer?.country_code ?? 'US' },
      },
      ...(o.shipping ? { shipping: { address: o.shipping } } : {}),
    }),
  }).then(async (r) => {
    if (!r.ok) throw new Error(`approve answered ${r.status}: ${await r.text()}`);
  });
  if (o.outcome && o.outcome !== 'COMPLETED') {
    await fetch(new URL('/_emulator/captures/next-outcome', paypalUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: o.outcome, times: 1 }),
    });
  }
  const captured = await call(
    'POST',
    `/v2/checkout/orders/${orderId}/capture`,
    {},
    { 'paypal-request-id': `capture-${orderId}` },
  );
  const capture = (captured.purchase_units as { payments?: { captures?: { id: string; status: string }[] } }[])[0]!
    .payments!.captures![0]!;
  return { orderId, captureId: capture.id, status: capture.status };
}
