// The status map is data: an admin changes ppc_StatusMap in Dataverse and, once the reference data cache
// expires, the next capture is recorded with the new status reason, without a release. An invalid map stops
// the event with a non-retryable error and writes nothing.
import type { PayPalCapture } from '../../src/adapters/paypal/types.ts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '@ppc/dataverse-emulator';
import { TransactionStatus as Status } from '@ppc/solution';
import type { DataversePort } from '../../src/adapters/dataverse/types.ts';
import { AppError } from '../../src/errors.ts';
import { orderToCash } from '../../src/flows/order-to-cash.ts';
import { dataverseReferenceData } from '../../src/flows/reference-data.ts';
import { createLogger } from '../../src/logger.ts';
import { DEFAULT_STATUS_MAP_CONFIG } from '../../src/mapping/status-map.ts';
import {
  adminApi,
  clientFor,
  seedMinimalGlAccounts,
  startEmulator,
  unique,
} from '../adapters/dataverse/emulator-client.ts';

const TTL_MS = 60_000;
let dv: DataverseEmulator;
let api: ReturnType<typeof adminApi>;
let client: DataversePort;

beforeAll(async () => {
  dv = await startEmulator();
  api = adminApi(dv);
  client = clientFor(dv);
  await dv.seed({ products: [{ productnumber: 'PAYPAL-MISC', name: 'PayPal item' }] });
  await setEnvironmentVariable('ppc_FallbackProductNumber', 'PAYPAL-MISC');
  await seedMinimalGlAccounts(dv);
});
afterAll(async () => {
  await dv?.close();
});

/** Sets an environment variable's value, or changes it. */
async function setEnvironmentVariable(schemaName: string, value: string): Promise<void> {
  const defs = await api(
    'GET',
    `environmentvariabledefinitions?$select=environmentvariabledefinitionid&$filter=schemaname eq '${schemaName}'`,
  );
  const defId = defs?.value[0]?.environmentvariabledefinitionid;
  if (!defId) throw new Error(`${schemaName} is not in the solution`);
  const values = await api(
    'GET',
    `environmentvariablevalues?$select=environmentvariablevalueid&$filter=_environmentvariabledefinitionid_value eq ${defId}`,
  );
  const current = values?.value[0]?.environmentvariablevalueid;
  if (current) await api('PATCH', `environmentvariablevalues(${current})`, { value });
  else
    await api('POST', 'environmentvariablevalues', {
      schemaname: `${schemaName}_value`,
      value,
      'EnvironmentVariableDefinitionId@odata.bind': `/environmentvariabledefinitions(${defId})`,
    });
}

/** PayPal's side: each capture an event names, as GET /v2/payments/captures/{id} answers it. */
const paypalCaptures = new Map<string, PayPalCapture>();

function captureEvent(captureId: string) {
  const at = new Date().toISOString();
  const event = {
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
  paypalCaptures.set(captureId, event.resource as PayPalCapture);
  return event;
}

async function statusOf(captureId: string) {
  const [row] = await client.query<{ statecode: number; statuscode: number }>(
    'ppc_paypaltransactions',
    `$select=statecode,statuscode&$filter=ppc_paypalid eq '${captureId}'`,
  );
  return row && { statecode: row.statecode, statuscode: row.statuscode };
}

describe('status map from ppc_StatusMap', () => {
  it("applies an admin's change after the cache expires, and refuses an invalid map", async () => {
    let now = 1_000_000;
    const reference = dataverseReferenceData(client, { ttlMs: TTL_MS, now: () => now });
    const handler = orderToCash({
      dataverse: client,
      reference,
      paypal: {
        getOrder: () => Promise.reject(new Error('these captures name no order')),
        getCapture: async (id) => paypalCaptures.get(id)!,
        getSale: () => Promise.reject(new Error('no sales here')),
      },
    });
    const run = (event: ReturnType<typeof captureEvent>) =>
      handler({
        inboxId: '1',
        eventId: event.id,
        eventType: event.event_type,
        action: 'capture.completed',
        attempt: 1,
        event,
        store: undefined as never,
        log: createLogger('silent'),
      });

    // the shipped default
    const first = unique('CAP');
    await run(captureEvent(first));
    expect(await statusOf(first)).toEqual({ statecode: 0, statuscode: Status.Completed });

    // the admin holds completed captures (e.g. until fulfilment checks them)
    await setEnvironmentVariable(
      'ppc_StatusMap',
      JSON.stringify({
        ...DEFAULT_STATUS_MAP_CONFIG,
        transaction: { ...DEFAULT_STATUS_MAP_CONFIG.transaction, COMPLETED: Status.OnHold },
      }),
    );
    const cached = unique('CAP');
    await run(captureEvent(cached));
    expect((await statusOf(cached))?.statuscode).toBe(Status.Completed); // still the cached map

    now += TTL_MS + 1;
    const held = unique('CAP');
    await run(captureEvent(held));
    expect(await statusOf(held)).toEqual({ statecode: 0, statuscode: Status.OnHold });

    // a status reason of another state's table, and a typo'd key: nothing is applied, nothing written
    await setEnvironmentVariable('ppc_StatusMap', JSON.stringify({ COMPLETED: 999, PENDNG: 1 }));
    now += TTL_MS + 1;
    const refused = unique('CAP');
    const error = await run(captureEvent(refused)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'status_map_invalid', retryable: false });
    expect((error as AppError).message).toMatch(/COMPLETED: not a ppc_paypaltransaction status reason/);
    expect(await statusOf(refused)).toBeUndefined();
  });
});
