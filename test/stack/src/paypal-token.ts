// An OAuth 2.0 client-credentials token from the PayPal emulator for its default app, as a merchant's server
// gets one (https://developer.paypal.com/api/rest/authentication/).
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@ppc/paypal-emulator';

export async function paypalToken(paypalUrl: string): Promise<string> {
  const res = await fetch(new URL('/v1/oauth2/token', paypalUrl), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${DEFAULT_CLIENT_ID}:${DEFAULT_CLIENT_SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (!res.ok) throw new Error(`PayPal token request answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
