import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureOrder, startEmulator } from './helpers/client.ts';

describe('state file', () => {
  it('keeps orders, captures, webhooks and the clock across a restart; new ids do not collide', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paypal-state-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startEmulator({ seed: 'demo', stateFile });
      const captured = await captureOrder(first.api, first.control);
      await first.api('POST', '/v1/notifications/webhooks', {
        url: 'http://127.0.0.1:9/hook',
        event_types: [{ name: '*' }],
      });
      first.emu.clock.advance(3_600_000);
      await first.emu.close();

      const second = await startEmulator({ seed: 'demo', stateFile });
      const order = await second.api('GET', `/v2/checkout/orders/${captured.body.id}`);
      expect(order.status).toBe(200);
      expect(order.body.status).toBe('COMPLETED');
      expect((await second.api('GET', '/v1/notifications/webhooks')).body.webhooks).toHaveLength(1);
      expect(second.emu.clock.now().toISOString()).toBe('2026-01-01T01:00:00.000Z');
      const again = await captureOrder(second.api, second.control);
      expect(again.body.id).not.toBe(captured.body.id);
      await second.emu.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
