import { describe, expect, it } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import type { IInputs } from '../../CustomerSpend/generated/ManifestTypes';
import { CustomerSpend } from '../../CustomerSpend/index';
import { Customer, Tables } from '../../shared/names';
import { createMockContext } from '../mock-context';

describe('CustomerSpend control lifecycle', () => {
  it('init → updateView with the configured base currency → getOutputs → destroy', async () => {
    const context = createMockContext<IInputs>({
      control: 'CustomerSpend',
      record: { entityName: Tables.contact, id: '3c000000-0000-4000-8000-000000000003' },
      parameters: { baseCurrency: 'jpy' },
      webAPI: {
        retrieve: () => ({ [Customer.paymentCount]: 2, [Customer.totalSpendBase]: 15000 }),
        retrieveMultiple: () => [],
      },
    });
    const control = new CustomerSpend();
    control.init(context);
    const view = render(control.updateView(context));
    expect(await screen.findByRole('region', { name: 'PayPal spend' })).toHaveTextContent(
      'Net spend (after refunds)15,000 JPY',
    );
    expect(context.webAPI.retrieveRecord).toHaveBeenCalledWith(
      Tables.contact,
      '3c000000-0000-4000-8000-000000000003',
      expect.stringContaining(Customer.totalSpendBase),
    );
    expect(control.getOutputs()).toEqual({});
    control.destroy();
    view.unmount();
  });
});
