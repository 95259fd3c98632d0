// The last errors PayPal and Dataverse answered this process, with PayPal's debug id (what PayPal support asks
// for): a small ring buffer the admin console shows. Nothing here is persisted; the log has every line.
export interface RecentError {
  at: string;
  service: 'paypal' | 'dataverse';
  operation: string;
  code: string;
  message: string;
  debugId?: string;
}

export function createRecentErrors(max = 50) {
  const items: RecentError[] = [];
  return {
    note(e: Omit<RecentError, 'at'> & { at?: string }) {
      items.unshift({ ...e, at: e.at ?? new Date().toISOString(), message: e.message.slice(0, 500) });
      if (items.length > max) items.length = max;
    },
    list(): readonly RecentError[] {
      return items;
    },
  };
}

export type RecentErrors = ReturnType<typeof createRecentErrors>;
