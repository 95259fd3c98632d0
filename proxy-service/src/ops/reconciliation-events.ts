// Reconciliation breaks as integration events (issue #17: "breaks surface as integration events and in the admin
// console"): a break the reconciler opens becomes an open integration event (kind 'break') in finance words with
// its suggested action, mirrored into ppc_integrationevent; a break that closes itself (caught up, corrected)
// resolves it. Recording never calls Dataverse: the mirror writes it (mirror.ts).
import type { Sql } from '../adapters/store/store.ts';
import type { IntegrationEventSink } from '../reconciliation/reconciler.ts';
import type { Metrics } from '../metrics.ts';
import { recordIntegrationEvent } from './integration-events.ts';

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function reconciliationEventSink(
  store: Sql,
  onRecorded?: () => void,
  metrics?: Pick<Metrics, 'reconciliationBreaks'>,
): IntegrationEventSink {
  return {
    async record(e) {
      const paypalId = text(e.details.paypalId);
      if (e.type === 'reconciliation.break.opened') {
        const action = text(e.details.action);
        metrics?.reconciliationBreaks.inc({ event: 'opened', kind: text(e.details.kind) ?? 'unexplained' });
        await recordIntegrationEvent(store, {
          key: `recon-break:${e.key}`,
          kind: 'break',
          source: 'reconciliation',
          eventType: `reconciliation.break.${text(e.details.kind) ?? 'unexplained'}`,
          eventId: `recon:${e.key}`.slice(0, 100),
          ...(paypalId ? { paypalId } : {}),
          message: action ? `${e.summary} Suggested action: ${action}` : e.summary,
          detail: JSON.stringify(e.details),
        });
      } else if (e.type === 'reconciliation.break.closed' && paypalId) {
        metrics?.reconciliationBreaks.inc({ event: 'closed', kind: 'any' });
        // The closing side knows the break by its PayPal id: every open break event of that id is resolved.
        await store.query(
          `UPDATE integration_events SET status = 'resolved', resolved_at = now(), updated_at = now(),
              version = version + 1, mirror_after = now(), message = left(message || ' Resolved: ' || $2, 4000)
            WHERE kind = 'break' AND paypal_id = $1 AND status = 'open'`,
          [paypalId, e.summary],
        );
      } else return;
      onRecorded?.();
    },
  };
}
