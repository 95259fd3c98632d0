import { Stack, Text } from '@fluentui/react';
import * as React from 'react';
import type { FormRecord } from '../shared/form-record';
import type { Formatter } from '../shared/formatter';
import type { Translate } from '../shared/strings';
import type { Tone } from '../shared/ui';
import { Badge, ErrorMessage, Field, InfoMessage, Loading } from '../shared/ui';
import { useLoad } from '../shared/use-load';
import type { Amounts, PaymentService, PaymentStatusKey } from './payment-service';

export interface PaymentStatusProps {
  service: PaymentService;
  record: FormRecord | undefined;
  t: Translate;
  format: Formatter;
}

const STATUS_TONE: Record<PaymentStatusKey, Tone> = {
  completed: 'good',
  pending: 'warn',
  partiallyRefunded: 'warn',
  refunded: 'neutral',
  declined: 'bad',
  reversed: 'bad',
  onHold: 'warn',
  failed: 'bad',
  unknown: 'neutral',
};

const BAND_TONE = { low: 'good', medium: 'warn', high: 'bad' } as const;

function AmountList(props: { title: string; amounts: Amounts; t: Translate; format: Formatter }): React.ReactElement {
  const { t, format, amounts } = props;
  return (
    <section aria-label={props.title}>
      <Text variant="smallPlus" block>
        {props.title}
      </Text>
      <dl style={{ margin: 0 }}>
        <Field term={t('gross')}>{format.money(amounts.gross)}</Field>
        <Field term={t('fee')}>{format.money(amounts.fee)}</Field>
        <Field term={t('net')}>{format.money(amounts.net)}</Field>
      </dl>
    </section>
  );
}

export function PaymentStatus(props: PaymentStatusProps): React.ReactElement {
  const { service, record, t, format } = props;
  const [state] = useLoad(async () => (record ? service.load(record) : null), record?.id ?? '');
  if (!record) return <InfoMessage text={t('noRecord')} />;
  if (state.kind === 'loading') return <Loading label={t('loading')} />;
  if (state.kind === 'error') return <ErrorMessage text={t('loadFailed', state.message)} />;
  const view = state.value;
  if (!view) return <InfoMessage text={t('empty')} />;
  return (
    <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
      <Stack horizontal tokens={{ childrenGap: 8 }} verticalAlign="center" wrap>
        <Badge tone={STATUS_TONE[view.status]} label={t('statusLabel')} text={t(`status_${view.status}`)} />
        {view.fraud && (
          <Badge
            tone={BAND_TONE[view.fraud.band]}
            label={t('fraudLabel')}
            text={t(`band_${view.fraud.band}`, view.fraud.score)}
          />
        )}
        {view.dispute && <Badge tone="bad" label={t('disputeLabel')} text={t('dispute', view.dispute.status ?? '')} />}
        <Text variant="small">{view.paypalId}</Text>
      </Stack>
      <Stack horizontal tokens={{ childrenGap: 24 }} wrap>
        <AmountList title={t('transactionCurrency')} amounts={view.amounts} t={t} format={format} />
        {view.base && <AmountList title={t('baseCurrency')} amounts={view.base} t={t} format={format} />}
      </Stack>
      <section aria-label={t('timeline')}>
        <Text variant="smallPlus" block>
          {t('timeline')}
        </Text>
        <ol style={{ margin: 0, paddingLeft: 20 }}>
          {view.timeline.map((entry, i) => (
            <li key={entry.paypalId ?? i}>
              {t(`event_${entry.kind}`)} · {format.money(entry.amount)}
              {entry.at && ` · ${format.dateTime(entry.at)}`}
            </li>
          ))}
        </ol>
      </section>
    </Stack>
  );
}
