import type { IChoiceGroupOption, IDropdownOption } from '@fluentui/react';
import {
  ChoiceGroup,
  DefaultButton,
  Dialog,
  DialogFooter,
  DialogType,
  Dropdown,
  MessageBar,
  MessageBarType,
  PrimaryButton,
  Stack,
  TextField,
} from '@fluentui/react';
import * as React from 'react';
import type { Formatter } from '../shared/formatter';
import type { AmountParseResult, Money } from '../shared/money';
import { currencyDecimals, parseAmount } from '../shared/money';
import { RefundReason } from '../shared/names';
import type { Translate } from '../shared/strings';
import { ErrorMessage, Field, InfoMessage, Loading } from '../shared/ui';
import { errorMessage, useLoad } from '../shared/use-load';
import type { RefundService, RefundView } from './refund-service';

export interface RefundButtonProps {
  service: RefundService;
  creditMemoId: string | undefined;
  /** the user holds Write on credit memos (Refund Agent) */
  canRefund: boolean;
  /** control disabled by the form or field security */
  readOnly: boolean;
  decimalSeparator: string;
  t: Translate;
  format: Formatter;
  /** how often to re-read the credit memo while PayPal works on it */
  pollIntervalMs?: number;
  onRequested?: (amount: Money) => void;
}

type Validation = { ok: true; amount: Money } | { ok: false; message: string };

const REASONS = Object.entries(RefundReason);
const WAITING = new Set<RefundView['status']>(['refundRequested', 'pendingApproval']);

export function validateAmount(
  view: RefundView,
  mode: 'full' | 'partial',
  text: string,
  decimalSeparator: string,
  t: Translate,
  format: Formatter,
): Validation {
  const currency = view.refundable.currency;
  if (mode === 'full') return { ok: true, amount: view.refundable };
  const parsed: AmountParseResult = parseAmount(text, currency, decimalSeparator);
  if (!parsed.ok) {
    if (parsed.error === 'decimals') {
      const decimals = currencyDecimals(currency);
      return {
        ok: false,
        message: decimals === 0 ? t('amountNoDecimals', currency) : t('amountDecimals', currency, decimals),
      };
    }
    return { ok: false, message: t(`amount_${parsed.error}`) };
  }
  if (parsed.minor > view.refundable.minor)
    return { ok: false, message: t('amountTooHigh', format.money(view.refundable)) };
  return { ok: true, amount: { minor: parsed.minor, currency } };
}

function Outcome(props: { view: RefundView; t: Translate; format: Formatter }): React.ReactElement | null {
  const { view, t, format } = props;
  switch (view.status) {
    case 'refunded':
      return (
        <MessageBar messageBarType={MessageBarType.success}>{t('refunded', format.money(view.amount))}</MessageBar>
      );
    case 'failed':
      return (
        <MessageBar messageBarType={MessageBarType.error} isMultiline>
          {t('failed', view.failureReason ?? t('unknownReason'))}
        </MessageBar>
      );
    case 'refundRequested':
      return <Loading label={t('requested', format.money(view.amount))} />;
    case 'pendingApproval':
      return <MessageBar messageBarType={MessageBarType.warning}>{t('pendingApproval')}</MessageBar>;
    case 'canceled':
      return <InfoMessage text={t('canceled')} />;
    default:
      return null;
  }
}

export function RefundButton(props: RefundButtonProps): React.ReactElement {
  const { service, creditMemoId, t, format } = props;
  const [state, reload] = useLoad(async () => (creditMemoId ? service.load(creditMemoId) : null), creditMemoId ?? '');
  const [mode, setMode] = React.useState<'full' | 'partial'>('full');
  const [amountText, setAmountText] = React.useState('');
  const [reason, setReason] = React.useState<number>(RefundReason.ReturnedGoods);
  const [note, setNote] = React.useState('');
  const [confirming, setConfirming] = React.useState<Money | undefined>();
  const [submitError, setSubmitError] = React.useState<string | undefined>();
  const [submitting, setSubmitting] = React.useState(false);
  const [touched, setTouched] = React.useState(false);

  // keep showing the last view while it is re-read, so polling does not flicker
  const lastView = React.useRef<RefundView | null>(null);
  if (state.kind === 'done') lastView.current = state.value;
  const view = state.kind === 'done' ? state.value : lastView.current;
  const waiting = state.kind === 'done' && view !== null && WAITING.has(view.status);
  React.useEffect(() => {
    if (!waiting) return undefined;
    const timer = setTimeout(reload, props.pollIntervalMs ?? 2000);
    return () => clearTimeout(timer);
  }, [waiting, state, reload, props.pollIntervalMs]);

  if (!creditMemoId) return <InfoMessage text={t('noRecord')} />;
  if (state.kind === 'loading' && !view) return <Loading label={t('loading')} />;
  if (state.kind === 'error') {
    // without the privilege the credit memo is often unreadable too: still say why refunds are off
    return (
      <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
        {!props.canRefund && <MessageBar messageBarType={MessageBarType.blocked}>{t('noPrivilege')}</MessageBar>}
        <ErrorMessage text={t('loadFailed', state.message)} />
        <Stack horizontal>
          <PrimaryButton text={t('requestRefund')} disabled />
        </Stack>
      </Stack>
    );
  }
  if (!view) return <Loading label={t('loading')} />;

  const editable = view.status === 'draft';
  const blocker = !props.canRefund
    ? t('noPrivilege')
    : props.readOnly
      ? t('readOnly')
      : !view.hasCapture
        ? t('noCapture')
        : view.refundable.minor <= 0
          ? t('nothingRefundable')
          : undefined;
  const disabled = blocker !== undefined || !editable || submitting;
  const validation = validateAmount(view, mode, amountText, props.decimalSeparator, t, format);
  const modes: IChoiceGroupOption[] = [
    { key: 'full', text: t('full', format.money(view.refundable)) },
    { key: 'partial', text: t('partial') },
  ];
  const reasons: IDropdownOption[] = REASONS.map(([key, value]) => ({ key: value, text: t(`reason_${key}`) }));

  const confirm = async (amount: Money): Promise<void> => {
    setConfirming(undefined);
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      await service.request(creditMemoId, { amount, reasonCode: reason, note });
      props.onRequested?.(amount);
      reload();
    } catch (error) {
      setSubmitError(t('requestFailed', errorMessage(error)));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
      <dl style={{ margin: 0 }}>
        <Field term={t('captured')}>{format.money(view.captured)}</Field>
        <Field term={t('alreadyRefunded')}>{format.money(view.refunded)}</Field>
        <Field term={t('refundable')}>{format.money(view.refundable)}</Field>
      </dl>
      <Outcome view={view} t={t} format={format} />
      {editable && (
        <>
          {blocker && <MessageBar messageBarType={MessageBarType.blocked}>{blocker}</MessageBar>}
          <ChoiceGroup
            label={t('amountChoice')}
            options={modes}
            selectedKey={mode}
            disabled={disabled}
            onChange={(_e, option) => option && setMode(option.key === 'partial' ? 'partial' : 'full')}
          />
          {mode === 'partial' && (
            <TextField
              label={t('amountLabel', view.refundable.currency)}
              value={amountText}
              disabled={disabled}
              inputMode="decimal"
              onChange={(_e, value) => {
                setAmountText(value ?? '');
                setTouched(true);
              }}
              errorMessage={touched && !validation.ok ? validation.message : undefined}
            />
          )}
          <Dropdown
            label={t('reason')}
            options={reasons}
            selectedKey={reason}
            disabled={disabled}
            onChange={(_e, option) => option && setReason(Number(option.key))}
          />
          <TextField
            label={t('note')}
            value={note}
            multiline
            rows={2}
            disabled={disabled}
            onChange={(_e, value) => setNote(value ?? '')}
          />
          <Stack horizontal>
            <PrimaryButton
              text={t('requestRefund')}
              disabled={disabled || !validation.ok}
              onClick={() => {
                setTouched(true);
                if (validation.ok) setConfirming(validation.amount);
              }}
            />
          </Stack>
        </>
      )}
      {submitting && <Loading label={t('submitting')} />}
      {submitError && <ErrorMessage text={submitError} />}
      <Dialog
        hidden={confirming === undefined}
        onDismiss={() => setConfirming(undefined)}
        dialogContentProps={{
          type: DialogType.normal,
          title: t('confirmTitle'),
          subText: confirming && t('confirmText', format.money(confirming)),
        }}
        modalProps={{ isBlocking: true }}
      >
        <DialogFooter>
          <PrimaryButton text={t('confirm')} onClick={() => confirming && void confirm(confirming)} />
          <DefaultButton text={t('cancel')} onClick={() => setConfirming(undefined)} />
        </DialogFooter>
      </Dialog>
    </Stack>
  );
}
