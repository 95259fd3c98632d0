import { DefaultButton, MessageBar, MessageBarType, PrimaryButton, Stack, TextField } from '@fluentui/react';
import * as React from 'react';
import type { Formatter } from '../shared/formatter';
import type { Translate } from '../shared/strings';
import { Badge, ErrorMessage, Field, InfoMessage, Loading } from '../shared/ui';
import { errorMessage, useLoad } from '../shared/use-load';
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

  if (!batchId) return <InfoMessage text={t('noRecord')} />;
  if (state.kind === 'loading') return <Loading label={t('loading')} />;
  if (state.kind === 'error') return <ErrorMessage text={t('loadFailed', state.message)} />;
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
          : undefined;
  const disabled = !pending || blocker !== undefined || busy;
  const commentMissing = comment.trim() === '';

  const decide = async (decision: Decision): Promise<void> => {
    if (decision === 'reject' && commentMissing) {
      setRejectTried(true);
      return;
    }
    setBusy(true);
    setDecisionError(undefined);
    try {
      await service.decide(batchId, decision, comment.trim());
      props.onDecided?.(decision);
      reload();
    } catch (error) {
      setDecisionError(t('decisionFailed', errorMessage(error)));
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
      {view.warnings.length > 0 && (
        <MessageBar messageBarType={MessageBarType.warning} isMultiline>
          <ul aria-label={t('warnings')} style={{ margin: 0, paddingLeft: 16 }}>
            {view.warnings.map((w, i) => (
              <li key={i}>{warningText(w, t, format)}</li>
            ))}
          </ul>
        </MessageBar>
      )}
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
            <PrimaryButton text={t('approve')} disabled={disabled} onClick={() => void decide('approve')} />
            <DefaultButton text={t('reject')} disabled={disabled} onClick={() => void decide('reject')} />
          </Stack>
        </>
      )}
      {busy && <Loading label={t('saving')} />}
      {decisionError && <ErrorMessage text={decisionError} />}
    </Stack>
  );
}
