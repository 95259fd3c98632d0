import { describe, expect, it } from '@jest/globals';
import { createFraudService } from '../../FraudScore/fraud-service';
import type { DataService, Row } from '../../shared/data-service';
import { parseReasons } from '../../shared/fraud';
import { Common, FraudAlert, FraudAlertStatus, State, Tables, Transaction } from '../../shared/names';

const transactionId = '7e000000-0000-4000-8000-0000000000b1';

function fakeData(row: Row, alerts: Row[]) {
  const updates: Row[] = [];
  const data: DataService = {
    retrieve: async () => row,
    retrieveMultiple: async () => alerts,
    update: async (_t, _id, data) => {
      updates.push(data);
    },
  };
  return { data, updates };
}

describe('fraud service', () => {
  it('derives the band from the score when none is stored and reads the open alert', async () => {
    const { data } = fakeData({ [Transaction.fraudScore]: 35, [Transaction.fraudReasons]: 'velocity\nnew device' }, [
      { [FraudAlert.id]: 'a1', [Common.statusCode]: FraudAlertStatus.UnderReview },
    ]);
    expect(await createFraudService(data).load({ entityName: Tables.transaction, id: transactionId })).toEqual({
      score: 35,
      band: 'medium',
      reasons: ['velocity', 'new device'],
      alert: { id: 'a1', state: 'underReview', reviewedBy: undefined, reviewedOn: undefined, notes: undefined },
    });
  });

  it('returns null for an unscored payment', async () => {
    const { data } = fakeData({}, []);
    expect(await createFraudService(data).load({ entityName: Tables.transaction, id: transactionId })).toBeNull();
  });

  it('closes the alert as Confirmed fraud or Marked safe', async () => {
    const { data, updates } = fakeData({}, []);
    await createFraudService(data, () => new Date('2026-11-27T00:00:00Z')).review('a1', 'fraud', 'chargeback');
    expect(updates).toEqual([
      {
        [Common.stateCode]: State.Inactive,
        [Common.statusCode]: FraudAlertStatus.ConfirmedFraud,
        [FraudAlert.reviewNotes]: 'chargeback',
        [FraudAlert.reviewedOn]: '2026-11-27T00:00:00.000Z',
      },
    ]);
  });

  it('parses reasons from JSON arrays (strings or {reason}) and from lines', () => {
    expect(parseReasons('["a","b"]')).toEqual(['a', 'b']);
    expect(parseReasons('[{"reason":"x","weight":3}]')).toEqual(['x']);
    expect(parseReasons('one; two\nthree')).toEqual(['one', 'two', 'three']);
    // the scorer's {code, reason}: a known code (translated by the control), an unknown one as its text
    expect(
      parseReasons(
        '[{"code":"FIRST_PURCHASE_HIGH_VALUE","reason":"First purchase of this customer, at a high value","contribution":1.2},{"code":"SOMETHING_NEW","reason":"Something new"}]',
      ),
    ).toEqual(['FIRST_PURCHASE_HIGH_VALUE', 'Something new']);
    expect(parseReasons(undefined)).toEqual([]);
  });
});
