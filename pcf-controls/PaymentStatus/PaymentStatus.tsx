import { Link, MessageBar, MessageBarType, Stack, Text } from '@fluentui/react';
import * as React from 'react';
import { loadProblem } from '../shared/access';
import type { FormRecord } from '../shared/form-record';
import type { Formatter } from '../shared/formatter';
import type { Translate } from '../shared/strings';
import { optional } from '../shared/strings';
import type { Tone } from '../shared/ui';
import { Badge, ErrorMessage, Field, InfoMessage, Loading } from '../shared/ui';
import { useLoad } from '../shared/use-load';
import type { Amounts, PaymentService, PaymentStatusKey, PaymentView } from './payment-service';

export interface PaymentStatusProps {
  service: PaymentService;
  record: FormRecord | undefined;
  /** the user may read PayPal transactions; without it the control shows the role to ask for and reads nothing */
  accessProblem?: string;
  /** "sandbox" or "live": which PayPal site the payment link opens */
  environment: string;
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
  voided: 'neutral',
  unknown: 'neutral',
};

const BAND_TONE = { low: 'good', medium: 'warn', high: 'bad' } as const;

/**
 * The payment's page in PayPal's merchant activity (www.paypal.com/activity/payment/<transaction id>; the
 * sandbox site for sandbox payments).
 */
export function paypalLink(paypalId: string, environment: string): string {
  const host = environment.trim().toLowerCase() === 'sandbox' ? 'www.sandbox.paypal.com' : 'www.paypal.com';
  return `https://${host}/activity/payment/${encodeURIComponent(paypalId)}`;
}

function AmountList(props: {
  title: string;
  amounts: Amounts;
  settled: boolean;
  t: Translate;
  format: Formatter;
}): React.ReactElement {
  const { t, format, amounts } = props;
  return (
    <section aria-label={props.title}>
      <Text variant="smallPlus" block>
        {props.title}
      </Text>
      <dl style={{ margin: 0 }}>
        <Field term={t('gross')}>{format.money(amounts.gross)}</Field>
        {props.settled ? (
          <>
            {amounts.refunded && <Field term={t('refundedAmount')}>{format.money(amounts.refunded)}</Field>}
            {amounts.reversed && <Field term={t('reversedAmount')}>{format.money(amounts.reversed)}</Field>}
            <Field term={t('fee')}>{format.money(amounts.fee)}</Field>
            <Field term={t('net')}>{format.money(amounts.net)}</Field>
          </>
        ) : (
          <Field term={t('net')}>{t('notSettled')}</Field>
        )}
      </dl>
    </section>
  );
}

function StatusNote(props: { view: PaymentView; t: Translate }): React.ReactElement | null {
  const { view, t } = props;
  const reason = view.statusReason && (optional(t, `statusReason_${view.statusReason}`) ?? view.statusReason);
  const key = `statusNote_${view.status}`;
  const note = optional(t, key, reason ?? t('noReasonGiven'));
  if (!note) return null;
  const tone =
    view.status === 'declined' || view.status === 'failed' || view.status === 'reversed'
      ? MessageBarType.error
      : MessageBarType.warning;
  return (
    <MessageBar messageBarType={tone} isMultiline>
      {note}
    </MessageBar>
  );
}

export function PaymentStatus(props: PaymentStatusProps): React.ReactElement {
  const { service, record, t, format } = props;
  const [state] = useLoad(async () => (record && !props.accessProblem ? service.load(record) : null), record?.id ?? '');
  if (!record) return <InfoMessage text={t('noRecord')} />;
  if (props.accessProblem)
    return (
      <MessageBar messageBarType={MessageBarType.blocked} isMultiline>
        {props.accessProblem}
      </MessageBar>
    );
  if (state.kind === 'loading') return <Loading label={t('loading')} />;
  if (state.kind === 'error') return <ErrorMessage text={loadProblem(state.error, state.message, t)} />;
  const view = state.value;
  if (!view) return <InfoMessage text={t('empty')} />;
  const fraud = view.fraud;
  const dispute = view.dispute;
  const disputeOpen = dispute && dispute.status !== 'resolved' && dispute.status !== 'other';
  return (
    <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
      <Stack horizontal tokens={{ childrenGap: 8 }} verticalAlign="center" wrap>
        <Badge tone={STATUS_TONE[view.status]} label={t('statusLabel')} text={t(`status_${view.status}`)} />
        {fraud && (
          <Badge
            tone={
              fraud.review === 'markedSafe' ? 'good' : fraud.review === 'confirmedFraud' ? 'bad' : BAND_TONE[fraud.band]
            }
            label={t('fraudLabel')}
            text={t(fraud.review ? `review_${fraud.review}` : `band_${fraud.band}`, fraud.score)}
          />
        )}
        {dispute && (
          <Badge
            tone={disputeOpen ? 'bad' : 'neutral'}
            label={t('disputeLabel')}
            text={t(
              'dispute',
              t(`disputeStatus_${dispute.status}`),
              dispute.amount ? format.money(dispute.amount) : '',
            ).trim()}
          />
        )}
        <Link href={paypalLink(view.paypalId, props.environment)} target="_blank" rel="noopener noreferrer">
          {t('openInPayPal', view.paypalId)}
        </Link>
      </Stack>
      <StatusNote view={view} t={t} />
      <Stack horizontal tokens={{ childrenGap: 24 }} wrap>
        <AmountList
          title={t('transactionCurrency')}
          amounts={view.amounts}
          settled={view.settled}
          t={t}
          format={format}
        />
        {view.base && (
          <AmountList title={t('baseCurrency')} amounts={view.base} settled={view.settled} t={t} format={format} />
        )}
      </Stack>
      {view.payer && (
        <dl style={{ margin: 0 }}>
          <Field term={t('payer')}>{[view.payer.email, view.payer.id].filter(Boolean).join(' · ')}</Field>
        </dl>
      )}
      {dispute && (
        <section aria-label={t('disputeSection')}>
          <Text variant="smallPlus" block>
            {t('disputeSection')}
          </Text>
          <dl style={{ margin: 0 }}>
            <Field term={t('disputeStatusTerm')}>{t(`disputeStatus_${dispute.status}`)}</Field>
            {dispute.amount && <Field term={t('disputeAmount')}>{format.money(dispute.amount)}</Field>}
            {dispute.reason && <Field term={t('disputeReason')}>{dispute.reason}</Field>}
            {dispute.stage && <Field term={t('disputeStage')}>{dispute.stage}</Field>}
            {dispute.due && <Field term={t('disputeDue')}>{format.date(dispute.due)}</Field>}
          </dl>
        </section>
      )}
      {view.refunds.length > 0 && (
        <section aria-label={t('refundHistory')}>
          <Text variant="smallPlus" block>
            {t('refundHistory')}
          </Text>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {view.refunds.map((r, i) => (
              <li key={r.paypalId ?? i}>
                {[
                  format.money(r.amount),
                  r.at && format.dateTime(r.at),
                  r.paypalId,
                  r.pending ? t('pendingRefund') : undefined,
                  t('refundBy', r.by ?? t('byPayPal')),
                  r.reason && (r.note ? `${r.reason}: ${r.note}` : r.reason),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-label={t('timeline')}>
        <Text variant="smallPlus" block>
          {t('timeline')}
        </Text>
        <ol style={{ margin: 0, paddingLeft: 20 }}>
          {view.timeline.map((entry, i) => (
            <li key={entry.paypalId ?? i}>
              {t(`event_${entry.kind}`)} · {format.money(entry.amount)}
              {entry.at && ` · ${format.dateTime(entry.at)}`}
              {entry.pending && ` · ${t('pendingRefund')}`}
            </li>
          ))}
        </ol>
      </section>
    </Stack>
  );
}
