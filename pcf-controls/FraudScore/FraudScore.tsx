import { DefaultButton, MessageBar, MessageBarType, PrimaryButton, Stack, Text, TextField } from '@fluentui/react';
import * as React from 'react';
import type { FormRecord } from '../shared/form-record';
import type { Translate } from '../shared/strings';
import type { Tone } from '../shared/ui';
import { Badge, ErrorMessage, InfoMessage, Loading } from '../shared/ui';
import { errorMessage, useLoad } from '../shared/use-load';
import type { FraudService, Verdict } from './fraud-service';
import { Gauge } from './Gauge';

export interface FraudScoreProps {
  service: FraudService;
  record: FormRecord | undefined;
  /** the user may write fraud alerts (PayPal Finance) */
  canReview: boolean;
  readOnly: boolean;
  t: Translate;
}

const BAND_TONE: Record<string, Tone> = { low: 'good', medium: 'warn', high: 'bad' };

export function FraudScore(props: FraudScoreProps): React.ReactElement {
  const { service, record, t } = props;
  const [state, reload] = useLoad(async () => (record ? service.load(record) : null), record?.id ?? '');
  const [notes, setNotes] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [reviewError, setReviewError] = React.useState<string | undefined>();

  if (!record) return <InfoMessage text={t('noRecord')} />;
  if (state.kind === 'loading') return <Loading label={t('loading')} />;
  if (state.kind === 'error') return <ErrorMessage text={t('loadFailed', state.message)} />;
  const view = state.value;
  if (!view) return <InfoMessage text={t('notScored')} />;

  const alert = view.alert;
  const open = alert !== undefined && (alert.state === 'new' || alert.state === 'underReview');
  const blocker = !props.canReview ? t('noPrivilege') : props.readOnly ? t('readOnly') : undefined;
  const disabled = blocker !== undefined || busy;

  const review = async (verdict: Verdict): Promise<void> => {
    if (!alert) return;
    setBusy(true);
    setReviewError(undefined);
    try {
      await service.review(alert.id, verdict, notes.trim());
      reload();
    } catch (error) {
      setReviewError(t('reviewFailed', errorMessage(error)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack tokens={{ childrenGap: 8 }} role="region" aria-label={t('title')}>
      <Stack horizontal verticalAlign="center" tokens={{ childrenGap: 12 }}>
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
      <section aria-label={t('reasons')}>
        <Text variant="smallPlus" block>
          {t('reasons')}
        </Text>
        {view.reasons.length === 0 ? (
          <Text>{t('noReasons')}</Text>
        ) : (
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {view.reasons.map((reason, i) => (
              <li key={i}>{reason}</li>
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
          <Stack horizontal tokens={{ childrenGap: 8 }}>
            <DefaultButton text={t('markSafe')} disabled={disabled} onClick={() => void review('safe')} />
            <PrimaryButton text={t('confirmFraud')} disabled={disabled} onClick={() => void review('fraud')} />
          </Stack>
        </>
      )}
      {busy && <Loading label={t('saving')} />}
      {reviewError && <ErrorMessage text={reviewError} />}
    </Stack>
  );
}
