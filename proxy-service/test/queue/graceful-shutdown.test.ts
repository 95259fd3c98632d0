// On SIGTERM (proxy.stop): intake answers 503 at once, the job in flight finishes, then the store closes.
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { recordRun, type HandlerContext } from '../../src/flows/handlers.ts';
import { post, startTestProxy, testPki } from '../support/test-proxy.ts';
import { waitFor } from '@ppc/test-support';

describe('graceful shutdown', () => {
  it('answers 503 while draining and lets the in-flight job finish', async () => {
    const pki = await testPki();
    let started = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    const t = await startTestProxy({
      overrides: {
        handlers: {
          'capture.completed': async (ctx: HandlerContext) => {
            started = true;
            await gate;
            await recordRun(ctx);
            finished = true;
          },
        },
      },
    });
    const body = JSON.stringify({
      id: `WH-${randomUUID()}`,
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
      resource: { id: 'CAP-DRAIN' },
    });
    expect((await post(`${t.url}/webhooks/paypal`, body, pki.sign(body))).status).toBe(200);
    await waitFor(() => started, 10_000, 'handler start');

    const stopping = t.proxy.stop();
    const during = await fetch(`${t.url}/webhooks/paypal`, { method: 'POST', body, headers: pki.sign(body) });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('30');
    expect((await fetch(`${t.url}/readyz`)).status).toBe(503);
    expect(finished).toBe(false);

    release();
    await stopping;
    expect(finished).toBe(true);
    await expect(t.proxy.store.query('SELECT 1')).rejects.toThrow();
  });
});
