// The alert columns the connector writes for a review: who (from the platform) and when.
export function approvalRecordUser(reviewer: string, at: Date): Record<string, unknown> {
  return { 'ppc_reviewedby@odata.bind': `/systemusers(${reviewer})`, ppc_reviewedon: at.toISOString() };
}
