// What every control's index.ts hands its component besides control-specific props.
import type { DataService } from './data-service';
import { createDataService } from './data-service';
import type { FormRecord } from './form-record';
import { formRecord } from './form-record';
import type { Formatter } from './formatter';
import { createFormatter } from './formatter';
import type { Translate } from './strings';
import { createTranslate } from './strings';

export interface CommonProps {
  t: Translate;
  format: Formatter;
  data: DataService;
}

export function commonProps(context: ComponentFramework.Context<unknown>): CommonProps {
  return {
    t: createTranslate(context.resources),
    format: createFormatter(context.formatting, context.userSettings.numberFormattingInfo),
    data: createDataService(context.webAPI),
  };
}

/** Keeps the same FormRecord object while the form shows the same record, so components do not reload. */
export function sameRecord(
  previous: FormRecord | undefined,
  context: ComponentFramework.Context<unknown>,
): FormRecord | undefined {
  const next = formRecord(context);
  if (previous && next && previous.id === next.id && previous.entityName === next.entityName) return previous;
  return next;
}
