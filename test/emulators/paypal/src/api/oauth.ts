// POST /v1/oauth2/token: client credentials with HTTP Basic auth
// (https://developer.paypal.com/api/rest/authentication/). Errors use the OAuth body shape.
import type { Route } from '../core/router.ts';
import { errors } from '../core/errors.ts';

const SCOPES = [
  'https://uri.paypal.com/services/invoicing',
  'https://uri.paypal.com/services/disputes/read-buyer',
  'https://uri.paypal.com/services/payments/realtimepayment',
  'https://uri.paypal.com/services/disputes/update-seller',
  'https://uri.paypal.com/services/payments/payment/authcapture',
  'openid',
  'https://uri.paypal.com/services/disputes/read-seller',
  'https://uri.paypal.com/services/payments/refund',
  'https://api-m.paypal.com/v1/vault/credit-card',
  'https://api-m.paypal.com/v1/payments/.*',
  'https://uri.paypal.com/payments/payouts',
  'https://uri.paypal.com/services/reporting/search/read',
  'https://uri.paypal.com/services/reporting/balances/read',
  'https://uri.paypal.com/services/subscriptions',
  'https://uri.paypal.com/services/applications/verify-webhook-signature',
  'https://api-m.paypal.com/v1/vault/credit-card/.*',
].join(' ');

export function oauthRoutes(): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/oauth2/token',
      auth: false,
      handler: ({ headers, rawBody, emu }) => {
        const m = /^Basic (.+)$/i.exec(headers.authorization ?? '');
        const [id, ...rest] = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8').split(':') : [];
        const secret = rest.join(':');
        const client = emu.config.clients.find((c) => c.clientId === id && c.clientSecret === secret);
        if (!client) throw errors.oauthInvalidClient();
        const form = new URLSearchParams(rawBody.toString('utf8'));
        const grant = form.get('grant_type') ?? '';
        if (grant !== 'client_credentials') throw errors.oauthUnsupportedGrant(grant || 'null');
        const token = `A21AA${emu.random.chars(40, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-')}`;
        const ttl = emu.config.tokenTtlSeconds;
        emu.state.tokens[token] = { clientId: client.clientId, expiresAt: emu.clock.now().getTime() + ttl * 1000 };
        return {
          status: 200,
          body: {
            scope: SCOPES,
            access_token: token,
            token_type: 'Bearer',
            app_id: `APP-${emu.random.chars(17)}`,
            expires_in: ttl,
            nonce: `${emu.nowIso()}${emu.random.hex(32)}`,
          },
        };
      },
    },
  ];
}
