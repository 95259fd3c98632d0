// What a PayPal order says about the buyer and the goods (GET /v2/checkout/orders/{id}), normalised.
import type { PayPalOrder as Order, PayPalWire } from '../adapters/paypal/types.ts';
import { standardizeAddress, type StandardAddress } from './address.ts';
import { fromPayPal, type Money } from './money.ts';

export interface OrderLine {
  sku?: string;
  name: string;
  quantity: number;
  unitAmount: Money;
  tax?: Money;
}

export interface OrderFacts {
  orderId: string;
  payer: {
    payerId?: string;
    email?: string;
    givenName?: string;
    surname?: string;
    phone?: string;
    address?: StandardAddress;
    /** PayPal names a business payer only through its tax id type (BR_CNPJ); see flows/order-to-cash.ts */
    isBusiness: boolean;
  };
  lines: OrderLine[];
  shipping?: Money;
  discount?: Money;
  handling?: Money;
  shipTo?: StandardAddress;
  invoiceRef?: string;
  customId?: string;
}

/** GET /v2/checkout/orders/{id} as it arrives (generated from PayPal's Orders v2 spec). */
export type PayPalOrder = PayPalWire<Order>;

export function orderFacts(o: PayPalOrder): OrderFacts {
  const pu = o.purchase_units?.[0] ?? {};
  const payer = o.payer ?? {};
  const pp = o.payment_source?.paypal ?? {};
  const bd = pu.amount?.breakdown ?? {};
  const lines: OrderLine[] = (pu.items ?? []).map((i) => ({
    ...(i.sku ? { sku: i.sku } : {}),
    name: i.name ?? i.sku ?? 'Item',
    quantity: Math.max(1, Number.parseInt(i.quantity ?? '1', 10) || 1),
    unitAmount: fromPayPal(i.unit_amount) ?? fromPayPal(pu.amount)!,
    ...(fromPayPal(i.tax) ? { tax: fromPayPal(i.tax)! } : {}),
  }));
  // An order without items (allowed by PayPal) becomes one line for its whole amount.
  if (!lines.length && pu.amount)
    lines.push({ name: 'PayPal payment', quantity: 1, unitAmount: fromPayPal(pu.amount)! });
  const address = standardizeAddress(payer.address ?? pp.address);
  const shipTo = standardizeAddress(pu.shipping?.address);
  return {
    orderId: o.id ?? '',
    payer: {
      ...((payer.payer_id ?? pp.account_id) ? { payerId: payer.payer_id ?? pp.account_id } : {}),
      ...((payer.email_address ?? pp.email_address)
        ? { email: (payer.email_address ?? pp.email_address)!.trim().toLowerCase() }
        : {}),
      ...((payer.name?.given_name ?? pp.name?.given_name)
        ? { givenName: payer.name?.given_name ?? pp.name?.given_name }
        : {}),
      ...((payer.name?.surname ?? pp.name?.surname) ? { surname: payer.name?.surname ?? pp.name?.surname } : {}),
      ...(payer.phone?.phone_number?.national_number ? { phone: payer.phone.phone_number.national_number } : {}),
      ...(address ? { address } : {}),
      isBusiness: payer.tax_info?.tax_id_type === 'BR_CNPJ',
    },
    lines,
    ...(fromPayPal(bd.shipping) ? { shipping: fromPayPal(bd.shipping)! } : {}),
    ...(fromPayPal(bd.discount) ? { discount: fromPayPal(bd.discount)! } : {}),
    ...(fromPayPal(bd.handling) ? { handling: fromPayPal(bd.handling)! } : {}),
    ...(shipTo ? { shipTo } : {}),
    ...(pu.invoice_id ? { invoiceRef: pu.invoice_id } : {}),
    ...(pu.custom_id ? { customId: pu.custom_id } : {}),
  };
}
