// Where a validated suite runs (PPC_TARGET): the PayPal emulator started here on loopback, or PayPal's sandbox
// with a REST app's credentials (PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET; PAYPAL_API_BASE_URL defaults to the
// sandbox). Every response is kept so that the suite can check it against PayPal's OpenAPI specs.
import { requireEnv, targetKind, type TargetKind } from '@ppc/test-support/validated';
import { createServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type PayPalEmulator } from '../../src/index.ts';
import { apiFor, token, type Api, type ApiResponse } from './client.ts';

export const SANDBOX_URL = 'https://api-m.sandbox.paypal.com';

export interface PayPalTarget {
  kind: TargetKind;
  baseUrl: string;
  /** The OAuth answer the bearer token came from. */
  tokenResponse: ApiResponse;
  api: Api;
  /** Every response of `api`, for the contract check. */
  responses: Array<{ method: string; path: string; status: number; body: unknown }>;
  /** The emulator, when that is the target (its control API has no counterpart at PayPal). */
  emulator?: PayPalEmulator;
  close(): Promise<void>;
}

export async function paypalTarget(kind: TargetKind = targetKind()): Promise<PayPalTarget> {
  let baseUrl: string;
  let id = DEFAULT_CLIENT_ID;
  let secret = DEFAULT_CLIENT_SECRET;
  let emulator: PayPalEmulator | undefined;
  if (kind === 'real') {
    const env = requireEnv(['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET']);
    baseUrl = process.env.PAYPAL_API_BASE_URL ?? SANDBOX_URL;
    id = env.PAYPAL_CLIENT_ID;
    secret = env.PAYPAL_CLIENT_SECRET;
  } else {
    // The real clock, as the sandbox has.
    emulator = await createServer({ seed: 'validated' });
    baseUrl = emulator.url;
  }
  const tokenResponse = await token(baseUrl, id, secret);
  if (tokenResponse.status !== 200)
    throw new Error(`OAuth at ${baseUrl} answered ${tokenResponse.status}: ${JSON.stringify(tokenResponse.body)}`);
  const raw = apiFor(baseUrl, tokenResponse.body.access_token as string);
  const responses: PayPalTarget['responses'] = [];
  const api: Api = async (method, path, body, headers) => {
    const res = await raw(method, path, body, headers);
    responses.push({ method, path: path.split('?')[0]!, status: res.status, body: res.body });
    return res;
  };
  return {
    kind,
    baseUrl,
    tokenResponse,
    api,
    responses,
    ...(emulator ? { emulator } : {}),
    close: async () => emulator?.close(),
  };
}
