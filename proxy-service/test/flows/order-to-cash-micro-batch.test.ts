// Several payments in one $batch, each its own change set: the one whose change set Dataverse refuses
// (a value longer than the column allows) fails alone, with an error the job queue dead-letters; the others
// are committed, and a second run of them changes nothing (each recorded once).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '@ppc/dataverse-emulator';
import { waitFor } from '@ppc/test-support';
import { withMicroBatching } from '../../src/adapters/dataverse/micro-batch.ts';
import type { PayPalCapture } from '../../src/adapters/paypal/types.ts';
import type { DataverseClient } from '../../src/adapters/dataverse/client.ts';
import { AppError } from '../../src/errors.ts';
import { orderToCash, type OrderToCashDeps } from '../../src/flows/order-to-cash.ts';
import { dataverseReferenceData } from '../../src/flows/reference-data.ts';
import { createLogger } from '../../src/logger.ts';
import { recordId } from '../../src/mapping/ids.ts';
import { decideRetry } from '../../src/retry/retry-policy.ts';
import {
  adminApi,
  clientFor,
  seedMinimalGlAccounts,
  startEmulator,
  unique,
} from '../adapters/dataverse/emulator-client.ts';

let dv: DataverseEmulator;
let client: DataverseClient;

beforeAll(async () => {
  dv = await startEmulator();
  const admin = adminApi(dv);
  client = clientFor(dv) as DataverseClient;
  await dv.seed({ products: [{ productnumber: 'PAYPAL-MISC', name: 'PayPal item' }] });
  const env = await admin(
    'GET',
    `environmentvariabledefinitions?$select=environmentvariabledefinitionid&$filter=schemaname eq 'ppc_FallbackProductNumber'`,
  );
  await admin('POST', 'environmentvariablevalues', {
    schemaname: 'ppc_FallbackProductNumber_value',
    value: 'PAYPAL-MISC',
    'EnvironmentVariableDefinitionId@odata.bind': `/environmentvariabledefinitions(${env?.value[0]?.environmentvariabledefinitionid})`,
  });
  await seedMinimalGlAccounts(dv);
});
afterAll(async () => {
  await dv?.close();
});

function captureEvent(captureId: string) {
  const at = new Date().toISOString();
  return {
    id: unique('WH-'),
    event_type: 'PAYMENT.CAPTURE.COMPLETED',
    resource: {
      id: captureId,
      status: 'COMPLETED',
      amount: { currency_code: 'USD', value: '10.00' },
      seller_receivable_breakdown: {
        gross_amount: { currency_code: 'USD', value: '10.00' },
        paypal_fee: { currency_code: 'USD', value: '0.59' },
        net_amount: { currency_code: 'USD', value: '9.41' },
      },
      create_time: at,
      update_time: at,
    },
  };
}

const count = async (set: string, filter: string) =>
  (await client.query(set, `$select=createdon&$filter=${filter}`)).length;

describe('order-to-cash, several payments in one $batch', () => {
  it('one payment refused by Dataverse fails alone and is dead-lettered; the others are recorded once', async () => {
    const reference = dataverseReferenceData(client);
    await reference.get();
    // the timer never fires: the test sends each batch once every payment's item is in it
    const batched = withMicroBatching(client, {
      maxWaitMs: 60_000,
      maxOperations: 1000,
      maxInFlight: 1,
      setTimer: () => 0,
      clearTimer: () => undefined,
    });
    // PayPal's answer for each capture is the resource its event carries (the flow re-reads it before booking)
    const captures = new Map<string, PayPalCapture>();
    const paypal = {
      getOrder: () => Promise.reject(new Error('these captures name no order')),
      getCapture: (id: string) => Promise.resolve(captures.get(id) ?? Promise.reject(new Error(`no capture ${id}`))),
      getSale: (id: string) => Promise.reject(new Error(`no sale ${id}`)),
    } as unknown as OrderToCashDeps['paypal'];
    const handler = orderToCash({ dataverse: batched, reference, paypal });
    const run = (event: ReturnType<typeof captureEvent>, h = handler) =>
      h({
        inboxId: '1',
        eventId: event.id,
        eventType: event.event_type,
        action: 'capture.completed',
        attempt: 1,
        event,
        store: undefined as never,
        log: createLogger('silent'),
      });

    const good = [unique('CAPA'), unique('CAPB')];
    // a capture id longer than the 64 characters ppc_paypalid holds (and the names made from it): its change
    // set fails validation in Dataverse
    const bad = `CAPX${'9'.repeat(70)}`;
    const events = [captureEvent(good[0]!), captureEvent(bad), captureEvent(good[1]!)];
    for (const e of events) captures.set(e.resource.id, e.resource as PayPalCapture);
    const before = client.stats();
    const outcomes = events.map((e) =>
      run(e).then(
        () => 'recorded',
        (err: unknown) => err,
      ),
    );
    // the reads of the three payments, then their change sets, each time in one $batch
    await waitFor(() => batched.batcher.waiting === 3, 10_000, 'three payments’ reads');
    batched.batcher.flush();
    await waitFor(() => batched.batcher.waiting === 3, 10_000, 'three change sets');
    batched.batcher.flush();
    const [a, x, b] = await Promise.all(outcomes);
    expect(client.stats().requests - before.requests).toBe(2);
    expect(batched.batcher.stats).toEqual({ batches: 2, items: 6 });

    expect(a).toBe('recorded');
    expect(b).toBe('recorded');
    expect(x).toBeInstanceOf(AppError);
    const err = x as AppError;
    expect(err.httpStatus).toBe(400);
    expect(err.failure).toBe('rejected');
    // not retried: the job queue dead-letters it at once
    expect(decideRetry(err, 'queue', 1).retry).toBe(false);
    // nothing of the refused payment was written (its change set was rolled back as a whole)
    expect(await client.get(`salesorders(${recordId('salesorder', bad)})`, ['name'])).toBeNull();
    expect(await client.get(`invoices(${recordId('invoice', bad)})`, ['name'])).toBeNull();

    // the others are recorded once, and their events run again by another replica (which has not seen these
    // payments: its create-only change set fails with 412, it reads, finds them recorded) change nothing
    const replica = orderToCash({ dataverse: client, reference, paypal });
    for (const id of good) {
      const again = captureEvent(id);
      captures.set(id, again.resource as PayPalCapture);
      await run(again, replica);
    }
    for (const id of good) {
      expect(await count('ppc_paypaltransactions', `ppc_paypalid eq '${id}'`)).toBe(1);
      expect(await count('ppc_ledgerentries', `ppc_sourceid eq '${id}'`)).toBe(3);
      expect(await count('salesorders', `salesorderid eq ${recordId('salesorder', id)}`)).toBe(1);
      expect(await count('invoices', `invoiceid eq ${recordId('invoice', id)}`)).toBe(1);
    }
  });
});
