import { Stack } from '@fluentui/react';
import { loadProblem } from '../shared/access';
import * as React from 'react';
import type { FormRecord } from '../shared/form-record';
import type { Formatter } from '../shared/formatter';
import type { Translate } from '../shared/strings';
import { ErrorMessage, Field, InfoMessage, Loading } from '../shared/ui';
import { useLoad } from '../shared/use-load';
import { SpendChart } from './SpendChart';
import type { SpendService } from './spend-service';

export interface CustomerSpendProps {
  service: SpendService;
  record: FormRecord | undefined;
  /** base currency when no payment records it (manifest input, default USD) */
  baseCurrency: string;
  t: Translate;
  format: Formatter;
}

export function CustomerSpend(props: CustomerSpendProps): React.ReactElement {
  const { service, record, t, format } = props;
  const [state] = useLoad(
    async () => (record ? service.load(record, props.baseCurrency) : null),
    `${record?.id ?? ''}|${props.baseCurrency}`,
  );
  if (!record) return <InfoMessage text={t('noRecord')} />;
  if (state.kind === 'loading') return <Loading label={t('loading')} />;
  if (state.kind === 'error') return <ErrorMessage text={loadProblem(state.error, state.message, t)} />;
  const view = state.value;
  if (!view) return <InfoMessage text={t('empty')} />;
  return (
    <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
      <dl style={{ margin: 0 }}>
        <Field term={t('grossSpend')}>{format.money(view.gross)}</Field>
        <Field term={t('refunded')}>
          {view.refundCount !== undefined
            ? t('amountWithCount', format.money(view.refunded), format.integer(view.refundCount))
            : format.money(view.refunded)}
        </Field>
        <Field term={t('totalSpend')}>{format.money(view.total)}</Field>
        {view.reversed && (
          <Field term={t('reversed')}>
            {t('amountWithCount', format.money(view.reversed), format.integer(view.reversalCount ?? 0))}
          </Field>
        )}
        <Field term={t('paymentCount')}>{format.integer(view.paymentCount)}</Field>
        {view.firstPayment && <Field term={t('firstPayment')}>{format.date(view.firstPayment)}</Field>}
        {view.lastPayment && <Field term={t('lastPayment')}>{format.date(view.lastPayment)}</Field>}
        {view.refundRatio !== undefined && <Field term={t('refundRatio')}>{format.percent(view.refundRatio)}</Field>}
      </dl>
      <SpendChart months={view.months} label={t('chart')} format={format} />
    </Stack>
  );
}
