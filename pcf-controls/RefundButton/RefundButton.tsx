import type { IDropdownOption } from '@fluentui/react';
import {
  DefaultButton,
  Dialog,
  DialogFooter,
  DialogType,
  Dropdown,
  MessageBar,
  MessageBarType,
  PrimaryButton,
  Stack,
  Text,
  TextField,
} from '@fluentui/react';
import * as React from 'react';
import { actionProblem, loadProblem, missingPrivilege } from '../shared/access';
import type { Formatter } from '../shared/formatter';
import type { Money } from '../shared/money';
import { RefundReason, Tables } from '../shared/names';
import type { Translate } from '../shared/strings';
import { optional } from '../shared/strings';
import { ErrorMessage, Field, InfoMessage, Loading } from '../shared/ui';
import { useLoad } from '../shared/use-load';
import type { RefundService, RefundView } from './refund-service';
import { refusalOf } from './refund-service';

export interface RefundButtonProps {
  service: RefundService;
  creditMemoId: string | undefined;
  /** Read on credit memos and PayPal transactions: without it nothing of the memo is shown */
  canRead: boolean;
  /** the user may request refunds (Create on credit memos: Refund Agent) */
  canRefund: boolean;
  /** the user may approve refunds above the threshold (PayPal Finance); the proxy re-checks role and requester */
  canApprove: boolean;
  /** normalised id of the signed-in user (userSettings.userId) */
  userId: string;
  /** control disabled by the form or field security */
  readOnly: boolean;
  t: Translate;
  format: Formatter;
  /** how often to re-read the credit memo while PayPal works on it */
  pollIntervalMs?: number;
  onRequested?: (amount: Money) => void;
}

const REASONS = Object.entries(RefundReason);
const WAITING = new Set<RefundView['status']>(['refundRequested', 'pendingApproval', 'approved']);

/**
 * PayPal's refusal in words with the next step (resx `paypal_<issue>`: the captures.refund 422 issues of
 * payments_payment_v2.json, proxy-service/src/adapters/paypal/openapi, plus INVALID_RESOURCE_ID and
 * PERMISSION_DENIED); any other issue names its code and the debug id; the connector's own refusal as it recorded it.
 */
export function failureText(view: RefundView, t: Translate): string {
  const code = view.failureCode?.toUpperCase();
  const reference = view.debugId ? ` ${t('paypalReference', view.debugId)}` : '';
  if (code) return (optional(t, `paypal_${code}`) ?? t('paypal_other', code)) + reference;
  return view.failureReason ? t('connectorRefused', view.failureReason) : t('failedNoReason');
}

/** "Riley Refunds (12/7/2026 10:00)": a person and, when Dataverse lets the user read it, when they acted. */
function who(name: string, at: Date | undefined, format: Formatter): string {
  return at ? `${name} (${format.dateTime(at)})` : name;
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
          {failureText(view, t)}
        </MessageBar>
      );
    case 'refundRequested':
      return <Loading label={t('requested', format.money(view.amount))} />;
    case 'approved':
      return (
        <Loading label={t('approvedWaiting', who(view.approvedBy?.name ?? t('anApprover'), view.approvedOn, format))} />
      );
    case 'canceled':
      return <InfoMessage text={view.failureReason ? t('rejected', view.failureReason) : t('canceled')} />;
    default:
      return null;
  }
}

function Approval(props: RefundButtonProps & { view: RefundView; reload: () => void }): React.ReactElement {
  const { view, t, format, service, creditMemoId } = props;
  const [comment, setComment] = React.useState('');
  const [tried, setTried] = React.useState(false);
  const [confirming, setConfirming] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | undefined>();
  const requester = view.requestedBy;
  const ownRequest = requester !== undefined && requester.id === props.userId;
  const mayDecide = props.canApprove && !props.readOnly && !ownRequest && creditMemoId !== undefined;
  const missing = comment.trim() === '';

  const act = async (what: 'approve' | 'reject'): Promise<void> => {
    if (!creditMemoId) return;
    setConfirming(false);
    setBusy(true);
    setError(undefined);
    try {
      if (what === 'approve') await service.approve(creditMemoId);
      else await service.reject(creditMemoId, comment.trim());
      props.reload();
    } catch (e) {
      setError(actionProblem(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack tokens={{ childrenGap: 8 }}>
      <MessageBar messageBarType={MessageBarType.warning} isMultiline>
        {t('pendingApproval', format.money(view.amount))}
        {requester && <> {t('requestedBy', who(requester.name ?? t('anAgent'), view.requestedOn, format))}</>}
      </MessageBar>
      {props.canApprove && ownRequest && <InfoMessage text={t('ownRequest')} />}
      {mayDecide && (
        <>
          <TextField
            label={t('approvalComment')}
            multiline
            rows={2}
            value={comment}
            disabled={busy}
            onChange={(_e, value) => setComment(value ?? '')}
            errorMessage={tried && missing ? t('commentRequired') : undefined}
          />
          <Stack horizontal tokens={{ childrenGap: 8 }} wrap>
            <PrimaryButton text={t('approve')} disabled={busy} onClick={() => setConfirming(true)} />
            <DefaultButton
              text={t('reject')}
              disabled={busy}
              onClick={() => {
                setTried(true);
                if (!missing) void act('reject');
              }}
            />
          </Stack>
          <Dialog
            hidden={!confirming}
            onDismiss={() => setConfirming(false)}
            dialogContentProps={{
              type: DialogType.normal,
              title: t('approveTitle'),
              subText: t('approveText', format.money(view.amount)),
            }}
            modalProps={{ isBlocking: true }}
          >
            <DialogFooter>
              <PrimaryButton text={t('approve')} onClick={() => void act('approve')} />
              <DefaultButton text={t('cancel')} onClick={() => setConfirming(false)} />
            </DialogFooter>
          </Dialog>
        </>
      )}
      {busy && <Loading label={t('saving')} />}
      {error && <ErrorMessage text={error} />}
    </Stack>
  );
}

export function RefundButton(props: RefundButtonProps): React.ReactElement {
  const { service, creditMemoId, t, format } = props;
  const [state, reload] = useLoad(
    async () => (creditMemoId && props.canRead ? service.load(creditMemoId) : null),
    creditMemoId ?? '',
  );
  const [reasonChoice, setReason] = React.useState<number | undefined>();
  const [noteText, setNote] = React.useState<string | undefined>();
  const [confirming, setConfirming] = React.useState(false);
  const [submitError, setSubmitError] = React.useState<string | undefined>();
  const [submitting, setSubmitting] = React.useState(false);

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
  // a user who may not read credit memos or payments sees why, and nothing of the memo
  if (!props.canRead)
    return (
      <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
        <MessageBar messageBarType={MessageBarType.blocked} isMultiline>
          {missingPrivilege(t, 'read', Tables.creditMemo)}
        </MessageBar>
      </Stack>
    );
  if (state.kind === 'loading' && !view) return <Loading label={t('loading')} />;
  if (state.kind === 'error')
    return (
      <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
        <ErrorMessage text={loadProblem(state.error, state.message, t)} />
      </Stack>
    );
  if (!view) return <Loading label={t('loading')} />;

  const draft = view.status === 'draft';
  const refusal = refusalOf(view);
  const blocker = !props.canRefund
    ? missingPrivilege(t, 'create', Tables.creditMemo)
    : props.readOnly
      ? t('readOnly')
      : undefined;
  const refusalText =
    refusal &&
    t(`refusal_${refusal}`, format.money(view.amount), format.money(view.refundable), view.capture?.paypalId ?? '');
  const disabled = blocker !== undefined || refusal !== undefined || submitting;
  const reason = reasonChoice ?? view.reasonCode ?? RefundReason.ReturnedGoods;
  const note = noteText ?? view.note ?? '';
  const reasons: IDropdownOption[] = REASONS.map(([key, value]) => ({ key: value, text: t(`reason_${key}`) }));
  const approvalText =
    view.approval === 'needed'
      ? t('approvalNeeded', view.threshold ? format.money(view.threshold) : '')
      : view.approval === 'unknown'
        ? t('approvalMaybe')
        : undefined;

  const confirm = async (): Promise<void> => {
    setConfirming(false);
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      await service.request(creditMemoId, { reasonCode: reason, note });
      props.onRequested?.(view.amount);
      reload();
    } catch (error) {
      setSubmitError(actionProblem(error, t));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
      <dl style={{ margin: 0 }}>
        <Field term={t('memoAmount')}>
          <Text styles={{ root: { fontWeight: 600 } }}>{format.money(view.amount)}</Text>
        </Field>
        <Field term={t('captured')}>{format.money(view.captured)}</Field>
        <Field term={t('alreadyRefunded')}>{format.money(view.refunded)}</Field>
        <Field term={t('refundable')}>{format.money(view.refundable)}</Field>
      </dl>
      {view.dispute && (draft || view.status === 'pendingApproval') && (
        <MessageBar messageBarType={MessageBarType.severeWarning} isMultiline>
          {t(
            'disputeWarning',
            view.dispute.amount ? format.money(view.dispute.amount) : '',
            view.dispute.reason ?? t('unknownReason'),
            view.dispute.due ? format.date(view.dispute.due) : t('noDueDate'),
          )}
        </MessageBar>
      )}
      <Outcome view={view} t={t} format={format} />
      {view.status === 'pendingApproval' && <Approval {...props} view={view} reload={reload} />}
      {draft && (
        <>
          {blocker && <MessageBar messageBarType={MessageBarType.blocked}>{blocker}</MessageBar>}
          {refusalText && (
            <MessageBar messageBarType={MessageBarType.blocked} isMultiline>
              {refusalText}
            </MessageBar>
          )}
          {!refusal && approvalText && <InfoMessage text={approvalText} />}
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
            maxLength={255}
            disabled={disabled}
            onChange={(_e, value) => setNote(value ?? '')}
          />
          <Stack horizontal>
            <PrimaryButton
              text={t('requestRefund', format.money(view.amount))}
              disabled={disabled}
              onClick={() => setConfirming(true)}
            />
          </Stack>
        </>
      )}
      {submitting && <Loading label={t('submitting')} />}
      {submitError && <ErrorMessage text={submitError} />}
      <Dialog
        hidden={!confirming}
        onDismiss={() => setConfirming(false)}
        dialogContentProps={{
          type: DialogType.normal,
          title: t('confirmTitle'),
          subText: [t('confirmText', format.money(view.amount)), approvalText].filter(Boolean).join(' '),
        }}
        modalProps={{ isBlocking: true }}
      >
        <DialogFooter>
          <PrimaryButton text={t('confirm')} onClick={() => void confirm()} />
          <DefaultButton text={t('cancel')} onClick={() => setConfirming(false)} />
        </DialogFooter>
      </Dialog>
    </Stack>
  );
}
