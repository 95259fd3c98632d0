// `npm run demo:purchase`: a buyer pays in the running local stack's PayPal emulator; the signed webhook
// then travels to the proxy and into Dataverse.
import { buyerPays } from '@ppc/e2e';

const paypalUrl = process.env.PAYPAL_URL ?? 'http://127.0.0.1:4010';
const res = await fetch(new URL('/v1/oauth2/token', paypalUrl), {
  method: 'POST',
  headers: {
    authorization: `Basic ${Buffer.from('emulator-client-id:emulator-client-secret').toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: 'grant_type=client_credentials',
});
const { access_token } = (await res.json()) as { access_token: string };
const n = Math.floor(Math.random() * 3) + 1;
const purchase = await buyerPays(paypalUrl, access_token, {
  currency: process.env.CURRENCY ?? 'USD',
  items: [{ sku: 'SKU-CAP', name: 'Cap', quantity: n, unitValue: process.env.CURRENCY === 'JPY' ? '1800' : '12.00' }],
});
console.log(
  `PayPal order ${purchase.orderId} captured: ${purchase.captureId} (${purchase.status}); the proxy records it in Dataverse within a second.`,
);
