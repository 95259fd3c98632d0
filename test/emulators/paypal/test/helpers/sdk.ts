// The official @paypal/paypal-server-sdk pointed at the emulator. The SDK has no base-URL option (only
// Sandbox/Production), so its HTTP transport (axios, via the SDK's `unstable_httpClientOptions`) gets an
// adapter that swaps the sandbox origin for the emulator's URL — like a hosts-file entry. Nothing else
// is changed and the emulator has no special case for the SDK.
import axios, { type AxiosRequestConfig } from 'axios';
import { Client, Environment } from '@paypal/paypal-server-sdk';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../src/index.ts';

const SANDBOX = 'https://api-m.sandbox.paypal.com';

export function sdkClient(emulatorUrl: string): Client {
  const http = axios.getAdapter('http');
  return new Client({
    clientCredentialsAuthCredentials: { oAuthClientId: DEFAULT_CLIENT_ID, oAuthClientSecret: DEFAULT_CLIENT_SECRET },
    environment: Environment.Sandbox,
    timeout: 10_000,
    unstable_httpClientOptions: {
      adapter: (config: AxiosRequestConfig) =>
        http({ ...config, url: String(config.url).replace(SANDBOX, emulatorUrl) } as never),
    },
  });
}
