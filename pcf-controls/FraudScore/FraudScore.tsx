import {
  DefaultButton,
  Dialog,
  DialogFooter,
  DialogType,
  MessageBar,
  MessageBarType,
  Stack,
  Text,
  TextField,
} from '@fluentui/react';
import * as React from 'react';
import { actionProblem, loadProblem } from '../shared/access';
import type { FormRecord } from '../shared/form-record';
import type { Formatter } from '../shared/formatter';
import type { Translate } from '../shared/strings';
import { optional } from '../shared/strings';
import type { Tone } from '../shared/ui';
import { Badge, ErrorMessage, Field, InfoMessage, Loading } from '../shared/ui';
import { useLoad } from '../shared/use-load';
import type { FraudService, Verdict } from './fraud-service';
import { Gauge } from './Gauge';

export interface FraudScoreProps {
  service: FraudService;
  record: FormRecord | undefined;
  /** set when the user may not read PayPal transactions: the sentence naming the role, and nothing is read */
  accessProblem?: string;
  /** the user may write fraud alerts (PayPal Finance); otherwise the sentence naming the role */
  reviewProblem?: string;
  readOnly: boolean;
  t: Translate;
  format: Formatter;
}

const BAND_TONE: Record<string, Tone> = { low: 'good', medium: 'warn', high: 'bad' };

export function FraudScore(props: FraudScoreProps): React.ReactElement {
  const { service, record, t, format } = props;
  const [state, reload] = useLoad(
    async () => (record && !props.accessProblem ? service.load(record) : null),
    record?.id ?? '',
  );
  const [notes, setNotes] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [asking, setAsking] = React.useState<Verdict | undefined>();
  const [reviewError, setReviewError] = React.useState<string | undefined>();

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
  if (!view) return <InfoMessage text={t('notScored')} />;

  const alert = view.alert;
  const open = alert !== undefined && (alert.state === 'new' || alert.state === 'underReview');
  const blocker = props.reviewProblem ?? (props.readOnly ? t('readOnly') : undefined);
  const disabled = blocker !== undefined || busy;

  const review = async (verdict: Verdict): Promise<void> => {
    if (!alert) return;
    setAsking(undefined);
    setBusy(true);
    setReviewError(undefined);
    try {
      await service.review(alert.id, verdict, notes.trim());
      reload();
    } catch (error) {
      setReviewError(actionProblem(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
      <Stack horizontal verticalAlign="center" tokens={{ childrenGap: 12 }} wrap>
        <Gauge
          score={view.score}
          band={view.band}
          label={t('scoreLabel')}
          valueText={t(`band_${view.band}`, view.score)}
        />
        <Badge
          tone={BAND_TONE[view.band] ?? 'neutral'}
          label={t('bandLabel')}
          text={t(`band_${view.band}`, view.score)}
        />
        {alert && !open && (
          <Badge
            tone={alert.state === 'confirmedFraud' ? 'bad' : 'good'}
            label={t('reviewLabel')}
            text={t(`alert_${alert.state}`)}
          />
        )}
      </Stack>
      {alert && !open && (
        <dl style={{ margin: 0 }}>
          <Field term={t('reviewOutcome')}>{t(`alert_${alert.state}`)}</Field>
          {alert.reviewedBy && <Field term={t('reviewedBy')}>{alert.reviewedBy}</Field>}
          {alert.reviewedOn && <Field term={t('reviewedOn')}>{format.dateTime(alert.reviewedOn)}</Field>}
          <Field term={t('notes')}>{alert.notes ?? t('noNotes')}</Field>
        </dl>
      )}
      <section aria-label={t('reasons')}>
        <Text variant="smallPlus" block>
          {t('reasons')}
        </Text>
        {view.reasons.length === 0 ? (
          <Text>{t('noReasons')}</Text>
        ) : (
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {view.reasons.map((reason, i) => (
              // reason codes in the resx read in the user's language; any other text is shown as stored
              <li key={i}>{optional(t, `reason_${reason}`) ?? reason}</li>
            ))}
          </ul>
        )}
      </section>
      {open && (
        <>
          {blocker && <MessageBar messageBarType={MessageBarType.blocked}>{blocker}</MessageBar>}
          <TextField
            label={t('notes')}
            value={notes}
            disabled={disabled}
            onChange={(_e, value) => setNotes(value ?? '')}
          />
          {/* neither verdict is the primary action: both close the alert, and each asks first */}
          <Stack horizontal tokens={{ childrenGap: 8 }}>
            <DefaultButton text={t('markSafe')} disabled={disabled} onClick={() => setAsking('safe')} />
            <DefaultButton text={t('confirmFraud')} disabled={disabled} onClick={() => setAsking('fraud')} />
          </Stack>
          <Dialog
            hidden={asking === undefined}
            onDismiss={() => setAsking(undefined)}
            dialogContentProps={{
              type: DialogType.normal,
              title: t(asking === 'fraud' ? 'confirmFraudTitle' : 'markSafeTitle'),
              subText: t(asking === 'fraud' ? 'confirmFraudText' : 'markSafeText', view.score),
            }}
            modalProps={{ isBlocking: true }}
          >
            <DialogFooter>
              <DefaultButton
                text={t(asking === 'fraud' ? 'confirmFraud' : 'markSafe')}
                onClick={() => asking && void review(asking)}
              />
              <DefaultButton text={t('cancel')} onClick={() => setAsking(undefined)} />
            </DialogFooter>
          </Dialog>
        </>
      )}
      {busy && <Loading label={t('saving')} />}
      {reviewError && <ErrorMessage text={reviewError} />}
    </Stack>
  );
}
