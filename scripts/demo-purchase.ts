// `npm run demo:purchase`: a buyer pays in the running sandbox's PayPal emulator (the port `npm start`
// uses: PAYPAL_EMULATOR_PORT, default 4010); the signed webhook then travels to the proxy and into Dataverse.
import { buyerPays, paypalToken, sandboxSettings } from '@ppc/stack';

const { urls } = sandboxSettings();
const n = Math.floor(Math.random() * 3) + 1;
const currency = process.env.CURRENCY ?? 'USD';
const purchase = await buyerPays(urls.paypal, await paypalToken(urls.paypal), {
  currency,
  items: [{ sku: 'SKU-CAP', name: 'Cap', quantity: n, unitValue: currency === 'JPY' ? '1800' : '12.00' }],
});
console.log(
  `PayPal order ${purchase.orderId} captured: ${purchase.captureId} (${purchase.status}); the proxy records it in Dataverse within a second.`,
);
