// A control added to the wrong table's form renders a message instead of querying nonsense (bad
// configuration never throws).
import * as React from 'react';
import type { FormRecord } from './form-record';
import type { Translate } from './strings';
import { ErrorMessage } from './ui';

export function misplaced(
  record: FormRecord | undefined,
  tables: readonly string[],
  t: Translate,
): React.ReactElement | undefined {
  if (!record || tables.includes(record.entityName)) return undefined;
  return React.createElement(ErrorMessage, { text: t('wrongTable', record.entityName) });
}
