// "Reconcile now" from D365: a PayPal Finance user sets ppc_runrequested on a ppc_reconciliationrun (an On Demand
// run they created for a date, with an optional currency scope, or any run to run its day again); the solution's
// async Update step posts the RemoteExecutionContext → this job → reconciler.runDay, the same code as
// POST /admin/reconciliation/run. The result is written back on that row, and the request cleared.
// - Who: the event's InitiatingUserId (never a column), whose roles are read from Dataverse: PayPal Finance only.
// - What: the row as Dataverse has it now (date, scope, whether the request is still pending), not the image.
// - Once: pressing twice (or Dataverse delivering twice) runs once: a request is claimed in recon_run_requests
//   (migration 12) while it runs; a request already answered has its flag cleared on the row, so a late copy
//   of the event finds nothing to do. A new press after the answer is a new run.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { Sql } from '../adapters/store/store.ts';
import { postImageValue, userRoles, type ApprovalEvent } from '../flows/approvals.ts';
import type { Handler } from '../flows/handlers.ts';
import { actingUser } from '../mapping/four-eyes.ts';
import { ReconciliationRunStatus, ReconciliationSource, ROLE_FINANCE } from '@ppc/solution';
import type { DayRun, Reconciler } from './reconciler.ts';

export type RunRequestDecision = { ok: true } | { ok: false; reason: string };

/** Pure: may this user run a reconciliation from D365? */
export function decideRunRequest(input: { user: string | undefined; roles: readonly string[] }): RunRequestDecision {
  if (!input.user) return { ok: false, reason: 'the request does not name the user who made it (no InitiatingUserId)' };
  if (!input.roles.includes(ROLE_FINANCE))
    return { ok: false, reason: `only a user with the ${ROLE_FINANCE} role may run a reconciliation` };
  return { ok: true };
}

const ISO_DATE = /^\d{4}-\d\d-\d\d$/;
const CURRENCY = /^[A-Z]{3}$/;

interface RunRow {
  ppc_reconciliationrunid: string;
  ppc_rundate?: string | Date | null;
  ppc_source?: number | null;
  ppc_currencyscope?: string | null;
  ppc_runrequested?: boolean | null;
}

/** Takes the request of this run for this job: false when another job runs it now. */
export async function claimRunRequest(
  sql: Sql,
  r: { runId: string; inboxId: string; user: string; date: string; currency: string | null },
): Promise<boolean> {
  const { rows } = await sql.query(
    `INSERT INTO recon_run_requests (run_id, inbox_id, requested_by, run_date, currency, status, runs)
     VALUES ($1::uuid, $2::bigint, $3::uuid, $4::date, $5, 'running', 1)
     ON CONFLICT (run_id) DO UPDATE SET inbox_id = EXCLUDED.inbox_id, requested_by = EXCLUDED.requested_by,
            run_date = EXCLUDED.run_date, currency = EXCLUDED.currency, status = 'running', claimed_at = now(),
            finished_at = NULL, outcome = NULL, runs = recon_run_requests.runs + 1
      WHERE recon_run_requests.status <> 'running' OR recon_run_requests.inbox_id = EXCLUDED.inbox_id
         OR recon_run_requests.claimed_at < now() - interval '1 hour'
     RETURNING run_id`,
    [r.runId, r.inboxId, r.user, r.date, r.currency],
  );
  return rows.length === 1;
}

async function finishRunRequest(sql: Sql, runId: string, status: 'done', outcome: string) {
  await sql.query(
    `UPDATE recon_run_requests SET status = $2, finished_at = now(), outcome = left($3, 2000) WHERE run_id = $1::uuid`,
    [runId, status, outcome],
  );
}

/** The words finance reads on the run row. */
export function describeDayRun(d: DayRun): string {
  const parts: string[] = [];
  if (d.held) parts.push(`Not reconciled: ${d.held}.`);
  else if (d.noReport)
    parts.push(`No settlement report for ${d.date} has been received yet: only Transaction Search was checked.`);
  parts.push(
    `Transaction Search: ${d.catchUp.listed} PayPal transactions listed, ${d.catchUp.missing.length} missing in Dynamics 365 (${d.catchUp.enqueued.length} caught up now).`,
  );
  if (d.closed.length) parts.push(`${d.closed.length} open breaks closed themselves (caught up or corrected).`);
  parts.push(...d.notes);
  return parts.join(' ');
}

export function reconcileNowRequested(deps: { store: Sql; dataverse: DataversePort; reconciler: Reconciler }): Handler {
  const dv = deps.dataverse;
  return async (ctx) => {
    const event = ctx.event as ApprovalEvent & { PrimaryEntityId?: string };
    // Our own writes fire the step too (they clear the flag): only a request (true) is one.
    if (postImageValue(event, 'ppc_runrequested') !== true) return;
    const runId = String(event.PrimaryEntityId ?? '').toLowerCase();
    if (!/^[0-9a-f-]{36}$/.test(runId)) return;
    const path = `ppc_reconciliationruns(${runId})`;
    const row = await dv.get<RunRow>(path, [
      'ppc_reconciliationrunid',
      'ppc_rundate',
      'ppc_source',
      'ppc_currencyscope',
      'ppc_runrequested',
    ]);
    if (!row || row.ppc_runrequested !== true) {
      ctx.log.info({ runId }, 'reconcile now: nothing pending on the run (already answered)');
      return;
    }
    const user = actingUser(event);
    const decision = decideRunRequest({ user, roles: user ? await userRoles(dv, user) : [] });
    const onDemand = row.ppc_source === ReconciliationSource.OnDemand;
    const failed = (message: string) => ({
      ppc_runrequested: false,
      ppc_errormessage: message.slice(0, 2000),
      // an On Demand row is the request itself; another run keeps the state of its own run
      ...(onDemand ? { statecode: 1, statuscode: ReconciliationRunStatus.Failed } : {}),
    });
    if (!decision.ok) {
      ctx.log.info({ runId, user, reason: decision.reason }, 'reconcile now refused');
      await dv.update(path, failed(`Reconcile now refused: ${decision.reason}.`));
      return;
    }
    // the client may hand a date column back as a Date (date-only columns are UTC midnight)
    const rawDate = row.ppc_rundate;
    const date =
      rawDate instanceof Date
        ? rawDate.toISOString().slice(0, 10)
        : typeof rawDate === 'string'
          ? rawDate.slice(0, 10)
          : '';
    const currency = (row.ppc_currencyscope ?? '').trim().toUpperCase() || null;
    if (!ISO_DATE.test(date) || (currency !== null && !CURRENCY.test(currency))) {
      await dv.update(
        path,
        failed(
          `Reconcile now: the run needs a date and, if any, a three-letter currency code (got date "${date}", currency "${currency ?? ''}").`,
        ),
      );
      return;
    }
    if (!(await claimRunRequest(deps.store, { runId, inboxId: ctx.inboxId, user: user!, date, currency }))) {
      ctx.log.info({ runId }, 'reconcile now: this run is already running (pressed twice)');
      return;
    }
    const startedOn = new Date().toISOString();
    await dv.update(path, { statecode: 0, statuscode: ReconciliationRunStatus.Running, ppc_startedon: startedOn });
    let result: DayRun;
    try {
      result = await deps.reconciler.runDay({ date, runId, ...(currency ? { currency } : {}) });
    } catch (err) {
      const message = `Reconcile now failed: ${(err as Error).message}`;
      await dv.update(path, {
        ...failed(message),
        statecode: 1,
        statuscode: ReconciliationRunStatus.Failed,
        ppc_completedon: new Date().toISOString(),
      });
      await finishRunRequest(deps.store, runId, 'done', message);
      return;
    }
    const text = describeDayRun(result);
    await dv.update(path, {
      ppc_runrequested: false,
      ppc_errormessage: result.held || result.notes.length ? text.slice(0, 2000) : null,
      // the report run wrote counts and totals on this row; without one, what Transaction Search found
      ...(result.run
        ? {}
        : {
            ppc_startedon: startedOn,
            ppc_completedon: new Date().toISOString(),
            ppc_rowsread: result.catchUp.listed,
            ppc_matchedcount: result.catchUp.listed - result.catchUp.missing.length,
            ppc_breakcount: 0,
            ppc_caughtupcount: result.catchUp.enqueued.length + result.catchUp.already.length,
            ppc_totalsjson: JSON.stringify({ date, currencyScope: currency, summary: text }).slice(0, 20000),
          }),
      statecode: 1,
      statuscode: result.held ? ReconciliationRunStatus.Failed : ReconciliationRunStatus.Completed,
    });
    await finishRunRequest(deps.store, runId, 'done', text);
    ctx.log.info({ runId, user, date, currency, held: result.held }, 'reconcile now done');
  };
}
