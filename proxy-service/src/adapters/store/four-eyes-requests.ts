// The requester of each money movement the proxy took a request for, kept in the proxy's own database.
// Approvals are checked against this row, never against the record's Requested By column: Dataverse lets a
// System Administrator write any column, secured ones included ("only people who have the system administrator
// security role can read or set the value" of a secured column,
// learn.microsoft.com/power-apps/developer/data-platform/column-level-security), and lookup columns cannot be
// secured at all. Nothing outside the proxy writes this table.
import type { Sql } from './store.ts';

/** Records (or replaces) the request of `recordId`: a new request supersedes the previous one. */
export async function recordRequest(
  sql: Sql,
  subject: string,
  recordId: string,
  requester: string,
  at: Date,
): Promise<void> {
  await sql.query(
    `INSERT INTO four_eyes_requests (subject, record_id, requester, requested_at) VALUES ($1, $2::uuid, $3::uuid, $4)
     ON CONFLICT (subject, record_id) DO UPDATE SET requester = EXCLUDED.requester, requested_at = EXCLUDED.requested_at`,
    [subject, recordId, requester, at.toISOString()],
  );
}

/** Forgets the request of `recordId` (a refused request leaves nothing an approval could refer to). */
export async function forgetRequest(sql: Sql, subject: string, recordId: string): Promise<void> {
  await sql.query(`DELETE FROM four_eyes_requests WHERE subject = $1 AND record_id = $2::uuid`, [subject, recordId]);
}

/** The requester the proxy recorded for `recordId`, or undefined when it took no request. */
export async function recordedRequester(sql: Sql, subject: string, recordId: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ requester: string }>(
    `SELECT requester::text AS requester FROM four_eyes_requests WHERE subject = $1 AND record_id = $2::uuid`,
    [subject, recordId],
  );
  return rows[0]?.requester.toLowerCase();
}
