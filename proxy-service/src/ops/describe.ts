// A failed or parked inbound event, told twice: in words a finance user acts on (what happened to the money,
// what to do) and in technical detail for an admin (error code, PayPal debug id, queue, job). Pure.
import { payPalErrorDetails } from '../adapters/paypal/index.ts';
import type { AppError } from '../errors.ts';

export interface EventFacts {
  source: string;
  eventType: string;
  action: string;
  payload: unknown;
}

export interface Described {
  message: string;
  detail: string;
  paypalId?: string;
  record?: { table: string; id: string };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** What the event is about: the PayPal id and, for a Dataverse event, the record it was raised on. */
export function subjectOf(e: EventFacts): { paypalId?: string; record?: { table: string; id: string } } {
  const p = obj(e.payload);
  if (e.source === 'dataverse') {
    const id = text(p.PrimaryEntityId);
    const table = text(p.PrimaryEntityName) ?? e.eventType.split(':')[1];
    return id && table ? { record: { table, id } } : {};
  }
  const resource = obj(p.resource);
  const paypalId = text(resource.id);
  return paypalId ? { paypalId } : {};
}

/** What did not happen, in the user's terms. */
function whatFailed(e: EventFacts, paypalId: string | undefined): string {
  const id = paypalId ? ` ${paypalId}` : '';
  if (e.action === 'creditmemo.refund_requested') return 'The refund of this credit memo was not made';
  if (e.action.startsWith('capture.') || e.action === 'sale.completed')
    return `The PayPal payment${id} could not be booked in Dynamics 365`;
  if (e.action.endsWith('.refunded') || e.action.endsWith('.reversed'))
    return `The PayPal refund or reversal${id} could not be booked in Dynamics 365`;
  if (e.action === 'dispute.changed') return `The PayPal dispute update${id} could not be recorded`;
  if (e.action.startsWith('payout.')) return `The PayPal payout update${id} could not be recorded`;
  if (e.action.startsWith('subscription.')) return `The PayPal subscription update${id} could not be recorded`;
  return `The ${e.eventType} event could not be processed`;
}

function why(err: AppError): string {
  const service = err.code.startsWith('paypal') ? 'PayPal' : err.code.startsWith('dataverse') ? 'Dynamics 365' : '';
  switch (err.failure) {
    case 'unavailable':
      return `${service || 'A service'} answered with a server error (HTTP ${err.httpStatus}) every time`;
    case 'network':
      return `${service || 'A service'} could not be reached`;
    case 'throttled':
    case 'service_protection':
      return `${service || 'A service'} kept asking the connector to slow down`;
    case 'unauthorized':
      return `${service || 'A service'} refused the connector's credentials: an administrator must check them`;
    case 'in_progress':
    case 'conflict':
      return `${service || 'A service'} was still busy with an earlier request for it`;
    case 'not_yet_recorded':
      return 'a record it depends on did not exist yet';
    case 'rejected':
      return `it was refused: ${err.message}`;
    default:
      return 'the connector met an unexpected error (an administrator has the technical detail)';
  }
}

/** A dead letter: the retries are over (or the failure is not one retrying can fix). */
export function describeDeadLetter(e: EventFacts, err: AppError, attempts: number, exhausted: boolean): Described {
  const subject = subjectOf(e);
  const moneyMoves = e.action === 'creditmemo.refund_requested';
  const message =
    `${whatFailed(e, subject.paypalId)}: ${why(err)}` +
    (exhausted ? ` (${attempts} attempt${attempts === 1 ? '' : 's'}).` : '.') +
    (moneyMoves ? ' No money was moved.' : '') +
    ' Once the cause is fixed, use Retry on this integration event.';
  const d = payPalErrorDetails(err);
  const detail = [
    `error ${err.code} (${err.failure}, HTTP ${err.httpStatus})`,
    d?.debug_id ? `PayPal debug id ${d.debug_id}` : undefined,
    d ? `PayPal call ${d.method} ${d.path}` : undefined,
    `event ${e.source} ${e.eventType} → ${e.action}`,
    err.message,
  ]
    .filter(Boolean)
    .join('\n');
  return { message, detail, ...subject };
}

/** A parked event: stored, waiting for a flow this version or configuration does not have. */
export function describeParked(e: EventFacts): Described {
  const subject = subjectOf(e);
  return {
    message: `Waiting: the connector has no ${e.action} flow yet (or its system is not configured). The event is kept and runs once it has one; nothing to do now.`,
    detail: `event ${e.source} ${e.eventType} → ${e.action}: no flow registered in this process`,
    ...subject,
  };
}
