// Missing privileges as a sentence that names the role to ask for, instead of Dataverse's
// "Principal user (Id=…, type=8) is missing prvReadppc_paypaltransaction privilege on OTC=10009".
// Controls check the privilege first (context.utils.hasEntityPrivilege) and render nothing of the record
// without it; a privilege error that still arrives (e.g. a related table) is recognised by Dataverse's
// PrivilegeDenied code 0x80040220 or the privilege name in its message.
import type { Translate } from './strings';
import { Roles, Tables } from './names';
import { errorMessage } from './use-load';

type Verb = 'read' | 'write' | 'create';

/** The role that grants `verb` on `table` to people (solution/packer/model/roles.ts). */
const ROLE_FOR: Record<Verb, Record<string, string>> = {
  read: {
    [Tables.transaction]: Roles.viewer,
    [Tables.dispute]: Roles.viewer,
    [Tables.fraudAlert]: Roles.viewer,
    [Tables.creditMemo]: Roles.viewer,
    [Tables.payoutBatch]: Roles.payoutApprover,
    [Tables.payoutItem]: Roles.payoutApprover,
  },
  write: {
    [Tables.creditMemo]: Roles.refundAgent,
    [Tables.fraudAlert]: Roles.finance,
    [Tables.payoutBatch]: Roles.payoutApprover,
  },
  create: { [Tables.creditMemo]: Roles.refundAgent },
};

export function roleFor(verb: Verb, table: string): string {
  return ROLE_FOR[verb][table] ?? Roles.viewer;
}

/** "You cannot see PayPal transactions: ask your administrator for the PayPal Viewer role." */
export function missingPrivilege(t: Translate, verb: Verb, table: string): string {
  return t(`access_${verb}`, t(`table_${table}`), roleFor(verb, table));
}

const PRIVILEGE = /missing prv(Read|Write|Create|Append|AppendTo)([A-Za-z0-9_]+) privilege/;

/** The sentence for a privilege error, or undefined for any other error. */
export function accessProblem(error: unknown, t: Translate): string | undefined {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; code?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const match = PRIVILEGE.exec(message);
  if (match) {
    const verb = match[1] === 'Read' ? 'read' : match[1] === 'Create' ? 'create' : 'write';
    return missingPrivilege(t, verb, match[2]!.toLowerCase());
  }
  if (e.code === '0x80040220' || e.code === -2147220960) return t('access_unknown');
  return undefined;
}

/** What a failed load shows: the privilege sentence, or the control's own "could not load" text. */
export function loadProblem(error: unknown, message: string, t: Translate): string {
  return accessProblem(error, t) ?? t('loadFailed', message);
}

/** What a failed update shows: the privilege sentence, or the control's "could not save" text. */
export function actionProblem(error: unknown, t: Translate): string {
  return accessProblem(error, t) ?? t('actionFailed', errorMessage(error));
}
