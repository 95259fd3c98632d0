// Parsing and validating the admin's ppc_StatusMap: whole or not at all, with each problem named.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaymentStatus, TransactionStatus } from '@ppc/solution';
import { AppError } from '../../src/errors.ts';
import {
  DEFAULT_STATUS_MAP,
  DEFAULT_STATUS_MAP_CONFIG,
  parseStatusMap,
  requireStatusMap,
} from '../../src/mapping/status-map.ts';

const full = (over: { transaction?: object; paymentStatus?: object } = {}) =>
  JSON.stringify({
    transaction: { ...DEFAULT_STATUS_MAP_CONFIG.transaction, ...over.transaction },
    paymentStatus: { ...DEFAULT_STATUS_MAP_CONFIG.paymentStatus, ...over.paymentStatus },
  });

describe('status map', () => {
  it('is the shipped default when the variable is absent or empty', () => {
    expect(parseStatusMap(undefined)).toEqual({ ok: true, map: DEFAULT_STATUS_MAP });
    expect(parseStatusMap('  ')).toEqual({ ok: true, map: DEFAULT_STATUS_MAP });
    expect(DEFAULT_STATUS_MAP.transaction.DECLINED).toEqual({ statecode: 1, statuscode: TransactionStatus.Declined });
    expect(DEFAULT_STATUS_MAP.paymentStatus.COMPLETED).toBe(PaymentStatus.Paid);
  });

  it('equals the default value the solution ships for ppc_StatusMap', () => {
    const xml = readFileSync(
      join(
        import.meta.dirname,
        '../../../solution/src/environmentvariabledefinitions/ppc_StatusMap/environmentvariabledefinition.xml',
      ),
      'utf8',
    );
    const shipped = /<defaultvalue>([^<]*)<\/defaultvalue>/.exec(xml)![1]!.replace(/&quot;/g, '"');
    expect(parseStatusMap(shipped)).toEqual({ ok: true, map: DEFAULT_STATUS_MAP });
  });

  it("applies an admin's map, the state following the status reason", () => {
    const parsed = parseStatusMap(
      full({ transaction: { COMPLETED: TransactionStatus.OnHold, FAILED: TransactionStatus.Voided } }),
    );
    expect(parsed.ok && parsed.map.transaction.COMPLETED).toEqual({
      statecode: 0,
      statuscode: TransactionStatus.OnHold,
    });
    expect(parsed.ok && parsed.map.transaction.FAILED).toEqual({ statecode: 1, statuscode: TransactionStatus.Voided });
  });

  it("reads the first release's flat form as the transaction map", () => {
    const parsed = parseStatusMap(
      JSON.stringify({ ...DEFAULT_STATUS_MAP_CONFIG.transaction, COMPLETED: TransactionStatus.OnHold }),
    );
    expect(parsed.ok && parsed.map.transaction.COMPLETED.statuscode).toBe(TransactionStatus.OnHold);
    expect(parsed.ok && parsed.map.paymentStatus).toEqual(DEFAULT_STATUS_MAP.paymentStatus);
  });

  it.each([
    ['not JSON', '{COMPLETED:', /not JSON/],
    [
      'a value of another table',
      full({ transaction: { COMPLETED: PaymentStatus.Paid } }),
      /transaction\.COMPLETED: not a ppc_paypaltransaction status reason/,
    ],
    ['a text value', full({ paymentStatus: { PENDING: 'Pending' } }), /paymentStatus\.PENDING/],
    ['a misspelt status', full({ transaction: { COMPLETD: TransactionStatus.Completed } }), /COMPLETD/],
    ['a missing status', JSON.stringify({ COMPLETED: TransactionStatus.Completed }), /PENDING/],
    ['a list', '[]', /\(value\)/],
  ])('refuses %s, naming the problem', (_case, value, message) => {
    const parsed = parseStatusMap(value);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.issues.join('\n')).toMatch(message);
  });

  it('turns a refused map into a non-retryable error for the flows', () => {
    expect(requireStatusMap({ ok: true, map: DEFAULT_STATUS_MAP })).toBe(DEFAULT_STATUS_MAP);
    const err = (() => {
      try {
        requireStatusMap(parseStatusMap('[]'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'status_map_invalid', retryable: false });
  });
});
