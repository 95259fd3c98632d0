// Storage row → Web API JSON: `@odata.etag`, lookups as `_<name>_value`, numbers as JSON numbers,
// dates as ISO-8601 UTC, and the annotations `Prefer: odata.include-annotations` asks for, each only
// when asked: FormattedValue (query/select-columns.md "Formatted values"), lookuplogicalname and
// associatednavigationproperty (web-api-navigation-properties.md "Lookup property data").
import { Errors } from '../errors.ts';
import type { AttributeMeta, EntityMeta } from '../metadata/model.ts';
import { typeColumn } from '../storage/schema.ts';
import type { Row } from './context.ts';
import { etagOf } from './records.ts';

export const FORMATTED_VALUE = 'OData.Community.Display.V1.FormattedValue';
const FORMATTED = `@${FORMATTED_VALUE}`;

/** Which instance annotations a response carries (`Prefer: odata.include-annotations` terms). */
export type AnnotationFilter = (annotation: string) => boolean;
const LOOKUP_NAME = '@Microsoft.Dynamics.CRM.lookuplogicalname';
const NAVIGATION = '@Microsoft.Dynamics.CRM.associatednavigationproperty';

export interface FormatOptions {
  select?: string[];
  /** which annotations to emit (odata.include-annotations); none when absent */
  annotations?: AnnotationFilter;
  /** single-valued navigation property of a lookup column for the table it points at */
  navigation?: (attribute: string, target: string) => string | undefined;
}

export function jsonValue(a: AttributeMeta, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (a.type) {
    case 'decimal':
    case 'money':
    case 'double':
    case 'bigint':
      return Number(v);
    case 'datetime':
      return (v instanceof Date ? v : new Date(String(v))).toISOString().replace(/\.\d{3}Z$/, 'Z');
    default:
      return v;
  }
}

/** Output name of an attribute: lookups surface as `_<name>_value`. */
export function outputName(a: AttributeMeta): string {
  return a.targets ? `_${a.logicalName}_value` : a.logicalName;
}

export function selectedAttributes(e: EntityMeta, select?: string[]): AttributeMeta[] {
  const all = [...e.attributes.values()];
  if (!select || select.includes('*')) return all;
  const wanted = new Set(select.map((s) => /^_(.+)_value$/.exec(s)?.[1] ?? s));
  for (const name of wanted) {
    // unknown columns fail as in Dataverse, so a query for a column the solution lacks is caught early
    if (!e.attributes.has(name)) throw Errors.propertyNotFound(name, e.logicalName);
  }
  wanted.add(e.primaryIdAttribute);
  // a money column brings its currency lookup (query/select-columns.md: "_transactioncurrencyid_value … is
  // included because revenue is a currency property")
  if ([...wanted].some((n) => e.attributes.get(n)?.type === 'money') && e.attributes.has('transactioncurrencyid'))
    wanted.add('transactioncurrencyid');
  return all.filter((a) => wanted.has(a.logicalName));
}

/** Key of a currency's symbol and precision in the names map (`currencyFormats` in query.ts). */
export const currencyKey = (id: unknown): string => `$currency:${String(id)}`;
export const BASE_CURRENCY_KEY = '$currency:base';

function fixed(n: number, digits: number | undefined): string {
  return digits === undefined
    ? n.toLocaleString('en-US', { maximumFractionDigits: 10 })
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// Formatted values (query/select-columns.md "Formatted values"): choice, yes/no and status labels from the
// column's metadata, currency values with the record's currency symbol ("$20,000.00"), numbers with the
// column's precision.
function formatted(a: AttributeMeta, v: unknown, row: Row, names?: Map<string, string>): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (a.type === 'boolean') {
    const label = a.options?.find((o) => o.value === (v ? 1 : 0))?.label;
    return label ?? (v ? 'Yes' : 'No');
  }
  if (a.options) return a.options.find((o) => o.value === v)?.label;
  if (a.type === 'money') {
    const key = a.logicalName.endsWith('_base') ? BASE_CURRENCY_KEY : currencyKey(row.transactioncurrencyid);
    const [symbol, precision] = (names?.get(key) ?? '|2').split('|') as [string, string];
    const n = Number(v);
    return `${n < 0 ? '-' : ''}${symbol}${fixed(Math.abs(n), Number(precision))}`;
  }
  if (a.type === 'datetime') return jsonValue(a, v) as string;
  if (a.type === 'decimal' || a.type === 'double') return fixed(Number(v), a.precision);
  if (a.type === 'integer' || a.type === 'bigint') return Number(v).toLocaleString('en-US');
  return undefined;
}

export function formatRow(e: EntityMeta, row: Row, opts: FormatOptions, lookupNames?: Map<string, string>): Row {
  const out: Row = { '@odata.etag': etagOf(row) };
  for (const a of selectedAttributes(e, opts.select)) {
    if (a.logicalName === 'versionnumber' && opts.select && !opts.select.includes('versionnumber')) continue;
    const name = outputName(a);
    const v = row[a.logicalName];
    const wants = opts.annotations;
    if (wants) {
      if (wants(FORMATTED.slice(1))) {
        const f = a.targets ? lookupNames?.get(`${a.logicalName}:${String(v)}`) : formatted(a, v, row, lookupNames);
        if (f !== undefined) out[`${name}${FORMATTED}`] = f;
      }
      if (a.targets && v) {
        const tc = typeColumn(a);
        const target = String(tc ? row[tc] : a.targets[0]);
        if (wants(NAVIGATION.slice(1))) {
          const nav = opts.navigation?.(a.logicalName, target);
          if (nav) out[`${name}${NAVIGATION}`] = nav;
        }
        if (wants(LOOKUP_NAME.slice(1))) out[`${name}${LOOKUP_NAME}`] = target;
      }
    }
    out[name] = jsonValue(a, v);
  }
  return out;
}
