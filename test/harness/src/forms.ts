// Which forms host which control, as the solution's FormXml binds them (ARCHITECTURE.md §1).
export interface FormKind {
  entity: string;
  /** primary name column, shown as the form title and in record lists */
  nameColumn: string;
  label: string;
}

const form = (entity: string, nameColumn: string, label: string): FormKind => ({ entity, nameColumn, label });

export const CONTROL_FORMS: Record<string, FormKind[]> = {
  PaymentStatus: [form('salesorder', 'name', 'Sales order'), form('invoice', 'name', 'Invoice')],
  CustomerSpend: [form('account', 'name', 'Account'), form('contact', 'fullname', 'Contact')],
  FraudScore: [
    form('ppc_paypaltransaction', 'ppc_name', 'PayPal transaction'),
    form('salesorder', 'name', 'Sales order'),
  ],
  RefundButton: [form('ppc_creditmemo', 'ppc_name', 'Credit memo')],
  PayoutApproval: [form('ppc_payoutbatch', 'ppc_name', 'Payout batch')],
};

export function formFor(control: string, entity: string): FormKind | undefined {
  return CONTROL_FORMS[control]?.find((f) => f.entity === entity);
}
