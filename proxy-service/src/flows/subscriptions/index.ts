// Subscriptions, renewals and dunning (issue #19): the flows the composition registers (proxy.ts buildFlows).
import type { PayPalClient } from '../../adapters/paypal/index.ts';
import type { Handlers } from '../handlers.ts';
import type { RefundFlowDeps } from '../refund-from-paypal.ts';
import { subscriptionCommand } from './commands.ts';
import { subscriptionRenewal, type RenewalDeps } from './renewal.ts';
import { saleReversed } from './sale-reversal.ts';
import { subscriptionChanged, type SyncDeps } from './subscription-sync.ts';

export { SUBSCRIPTION_RULE, decideCommand } from './commands.ts';
export { subscriptionSyncer, readSubscription } from './subscription-sync.ts';

export function subscriptionFlows(
  deps: Omit<SyncDeps, 'paypal'> &
    Pick<RefundFlowDeps, 'captureLock'> &
    Pick<RenewalDeps, 'fraud'> & { paypal: PayPalClient },
): Handlers {
  const changed = subscriptionChanged(deps);
  return {
    'subscription.changed': changed,
    'subscription.payment_failed': changed,
    'subscription.renewal': subscriptionRenewal(deps),
    'subscription.command_requested': subscriptionCommand(deps),
    'sale.reversed': saleReversed(deps),
  };
}
