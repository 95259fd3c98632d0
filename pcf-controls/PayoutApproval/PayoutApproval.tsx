import {
  DefaultButton,
  Dialog,
  DialogFooter,
  DialogType,
  MessageBar,
  MessageBarType,
  PrimaryButton,
  Stack,
  Text,
  TextField,
} from '@fluentui/react';
import { actionProblem, loadProblem } from '../shared/access';
import * as React from 'react';
import type { Formatter } from '../shared/formatter';
import type { Translate } from '../shared/strings';
import { Badge, ErrorMessage, Field, InfoMessage, Loading } from '../shared/ui';
import { useLoad } from '../shared/use-load';
import type { Decision, PayoutService, PayoutWarning } from './payout-service';

export interface PayoutApprovalProps {
  service: PayoutService;
  batchId: string | undefined;
  /** normalised id of the signed-in user (userSettings.userId) */
  userId: string;
  /** the user holds Write on payout batches (Payout Approver) */
  canApprove: boolean;
  readOnly: boolean;
  itemLimit: number;
  t: Translate;
  format: Formatter;
  onDecided?: (decision: Decision) => void;
}

function warningText(warning: PayoutWarning, t: Translate, format: Formatter): string {
  switch (warning.kind) {
    case 'missingReceiver':
      return t('warningMissing', warning.count);
    case 'duplicateReceiver':
      return t('warningDuplicate', warning.receiver, warning.count);
    case 'overLimit':
      return t('warningOverLimit', warning.receiver, format.money(warning.amount));
  }
}

export function PayoutApproval(props: PayoutApprovalProps): React.ReactElement {
  const { service, batchId, t, format } = props;
  const [state, reload] = useLoad(
    async () => (batchId ? service.load(batchId, props.itemLimit) : null),
    `${batchId ?? ''}|${props.itemLimit}`,
  );
  const [comment, setComment] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [decisionError, setDecisionError] = React.useState<string | undefined>();
  const [rejectTried, setRejectTried] = React.useState(false);
  const [confirming, setConfirming] = React.useState(false);

  if (!batchId) return <InfoMessage text={t('noRecord')} />;
  if (state.kind === 'loading') return <Loading label={t('loading')} />;
  if (state.kind === 'error') return <ErrorMessage text={loadProblem(state.error, state.message, t)} />;
  const view = state.value;
  if (!view) return <Loading label={t('loading')} />;

  const pending = view.status === 'pendingApproval';
  const isCreator = view.createdBy !== undefined && view.createdBy === props.userId;
  const blocker = !pending
    ? undefined
    : !props.canApprove
      ? t('noPrivilege')
      : isCreator
        ? t('creatorCannotApprove')
        : props.readOnly
          ? t('readOnly')
          : view.itemCount === 0
            ? t('emptyBatch')
            : view.invalidCount > 0
              ? t('invalidItems', view.invalidCount)
              : undefined;
  const disabled = !pending || blocker !== undefined || busy;
  const warned = view.warnings.length > 0 || view.connectorWarnings.length > 0;
  const commentMissing = comment.trim() === '';

  const decide = async (decision: Decision): Promise<void> => {
    if (decision === 'reject' && commentMissing) {
      setRejectTried(true);
      return;
    }
    setConfirming(false);
    setBusy(true);
    setDecisionError(undefined);
    try {
      // An approval acknowledges the connector's warnings the approver was shown (the connector checks them).
      await service.decide(
        batchId,
        decision,
        comment.trim(),
        decision === 'approve' ? view.connectorWarnings.map((w) => w.code) : [],
      );
      props.onDecided?.(decision);
      reload();
    } catch (error) {
      setDecisionError(actionProblem(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
      <div>
        <Badge
          tone={pending ? 'warn' : view.status === 'approved' || view.status === 'completed' ? 'good' : 'neutral'}
          label={t('statusLabel')}
          text={t(`status_${view.status}`)}
        />
      </div>
      <dl style={{ margin: 0 }}>
        <Field term={t('itemCount')}>{format.integer(view.itemCount)}</Field>
        {view.totals.map((total) => (
          <Field key={total.currency} term={t('totalIn', total.currency)}>
            {format.money(total)}
          </Field>
        ))}
      </dl>
      {warned && (
        <MessageBar messageBarType={MessageBarType.warning} isMultiline>
          <ul aria-label={t('warnings')} style={{ margin: 0, paddingLeft: 16 }}>
            {view.warnings.map((w, i) => (
              <li key={i}>{warningText(w, t, format)}</li>
            ))}
            {view.connectorWarnings.map((w) => (
              <li key={w.code}>{w.text}</li>
            ))}
          </ul>
        </MessageBar>
      )}
      {view.items.length > 0 && (
        <section aria-label={t('items')}>
          <Text variant="smallPlus" block>
            {t('items')}
          </Text>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {view.items.map((item, i) => (
              <li key={i}>
                {[
                  item.receiver ?? t('noReceiver'),
                  format.money(item.amount),
                  item.status,
                  item.failure && t('itemFailure', item.failure),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      {(view.approvedBy || view.approvedOn) && (
        <dl style={{ margin: 0 }}>
          <Field term={t('approvedBy')}>
            {[view.approvedBy, view.approvedOn && format.dateTime(view.approvedOn)].filter(Boolean).join(' · ')}
          </Field>
        </dl>
      )}
      {view.failureReason && <ErrorMessage text={t('batchFailure', view.failureReason)} />}
      {!pending && view.comment && <Field term={t('comment')}>{view.comment}</Field>}
      {pending && (
        <>
          {blocker && <MessageBar messageBarType={MessageBarType.blocked}>{blocker}</MessageBar>}
          <TextField
            label={t('comment')}
            multiline
            rows={2}
            value={comment}
            disabled={disabled}
            onChange={(_e, value) => setComment(value ?? '')}
            errorMessage={rejectTried && commentMissing ? t('commentRequired') : undefined}
          />
          <Stack horizontal tokens={{ childrenGap: 8 }}>
            <PrimaryButton
              text={t('approve')}
              disabled={disabled}
              onClick={() => (warned ? setConfirming(true) : void decide('approve'))}
            />
            <DefaultButton text={t('reject')} disabled={disabled} onClick={() => void decide('reject')} />
          </Stack>
        </>
      )}
      <Dialog
        hidden={!confirming}
        onDismiss={() => setConfirming(false)}
        dialogContentProps={{ type: DialogType.normal, title: t('confirmTitle'), subText: t('confirmText') }}
        modalProps={{ isBlocking: true }}
      >
        <ul aria-label={t('confirmWarnings')} style={{ margin: 0, paddingLeft: 16 }}>
          {view.warnings.map((w, i) => (
            <li key={i}>{warningText(w, t, format)}</li>
          ))}
          {view.connectorWarnings.map((w) => (
            <li key={w.code}>{w.text}</li>
          ))}
        </ul>
        <DialogFooter>
          <PrimaryButton text={t('approveAnyway')} onClick={() => void decide('approve')} />
          <DefaultButton text={t('cancel')} onClick={() => setConfirming(false)} />
        </DialogFooter>
      </Dialog>
      {busy && <Loading label={t('saving')} />}
      {decisionError && <ErrorMessage text={decisionError} />}
    </Stack>
  );
}
