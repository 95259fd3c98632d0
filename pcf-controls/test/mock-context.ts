// The shared mock ComponentFramework context for lifecycle and component tests: strings from the control's
// real en-US .resx (a missing key fails the test that looks for its text), deterministic formatting,
// privileges per table, and a webAPI answered by a handler the test supplies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { Formatter } from '../shared/formatter';
import { createFormatter } from '../shared/formatter';
import type { Translate } from '../shared/strings';
import { createTranslate } from '../shared/strings';

type Entity = ComponentFramework.WebApi.Entity;

export interface WebApiHandler {
  retrieveMultiple?(table: string, options: string): Entity[] | Promise<Entity[]>;
  retrieve?(table: string, id: string, options: string): Entity | Promise<Entity>;
  update?(table: string, id: string, data: Entity): void | Promise<void>;
}

export interface MockContextOptions {
  control: string;
  record?: { entityName: string; id: string };
  /** table → privilege types the user holds (1 create, 2 read, 3 write) */
  privileges?: Record<string, number[]>;
  userId?: string;
  disabled?: boolean;
  parameters?: Record<string, unknown>;
  webAPI?: WebApiHandler;
}

/** transactioncurrency ids the mock webAPI knows (answered before the test's own retrieve handler). */
export const CURRENCY_IDS: Record<string, string> = {
  USD: 'c0000000-0000-4000-8000-000000000840',
  EUR: 'c0000000-0000-4000-8000-000000000978',
  JPY: 'c0000000-0000-4000-8000-000000000392',
};

/** Their currencyprecision, as Dataverse creates these currencies. */
export const CURRENCY_PRECISION: Record<string, number> = { USD: 2, EUR: 2, JPY: 0 };

/** The transactioncurrency record of one of CURRENCY_IDS, as a data service retrieve answers it. */
export function currencyRecord(id: string): { isocurrencycode: string; currencyprecision: number } {
  const iso = Object.entries(CURRENCY_IDS).find(([, v]) => v === id)![0];
  return { isocurrencycode: iso, currencyprecision: CURRENCY_PRECISION[iso]! };
}

export function loadResx(control: string, lcid = 1033): Record<string, string> {
  const xml = readFileSync(join(import.meta.dirname, '..', control, 'strings', `${control}.${lcid}.resx`), 'utf8');
  const strings: Record<string, string> = {};
  for (const match of xml.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) {
    strings[match[1]!] = match[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return strings;
}

export const testFormatting = {
  formatDecimal: (value: number, precision = 2) =>
    new Intl.NumberFormat('en-US', { minimumFractionDigits: precision, maximumFractionDigits: precision }).format(
      value,
    ),
  formatInteger: (value: number) => new Intl.NumberFormat('en-US').format(value),
  // the symbol is the currency's currencysymbol once read, its ISO code before: "5.00 USD" in these tests
  formatCurrency: (value: number, precision = 2, symbol = '') =>
    `${new Intl.NumberFormat('en-US', { minimumFractionDigits: precision, maximumFractionDigits: precision }).format(value)} ${symbol}`.trim(),
  formatDateYearMonth: (value: Date) => value.toISOString().slice(0, 7),
  formatDateShort: (value: Date, includeTime?: boolean) =>
    includeTime ? value.toISOString().slice(0, 16).replace('T', ' ') : value.toISOString().slice(0, 10),
} as unknown as ComponentFramework.Formatting;

export function testFormatter(): Formatter {
  return createFormatter(testFormatting);
}

export function testTranslate(control: string): Translate {
  const strings = loadResx(control);
  return createTranslate({ getString: (key: string) => strings[key] ?? '' } as ComponentFramework.Resources);
}

function boundProperty(raw: unknown): ComponentFramework.PropertyTypes.Property {
  return {
    raw,
    formatted: raw == null ? '' : String(raw),
    error: false,
    errorMessage: '',
    type: 'SingleLine.Text',
    attributes: undefined,
    security: { editable: true, readable: true, secured: false },
  } as unknown as ComponentFramework.PropertyTypes.Property;
}

export function createMockContext<TInputs>(options: MockContextOptions): ComponentFramework.Context<TInputs> {
  const strings = loadResx(options.control);
  const handler = options.webAPI ?? {};
  const webAPI = {
    retrieveMultipleRecords: jest.fn(async (table: string, query?: string) => {
      const iso = /isocurrencycode eq '([A-Z]{3})'/.exec(query ?? '')?.[1];
      if (table === 'transactioncurrency' && iso && iso in CURRENCY_PRECISION)
        return {
          entities: [{ isocurrencycode: iso, currencyprecision: CURRENCY_PRECISION[iso] }],
          nextLink: undefined,
        };
      return { entities: (await handler.retrieveMultiple?.(table, query ?? '')) ?? [], nextLink: undefined };
    }),
    retrieveRecord: jest.fn(async (table: string, id: string, query?: string) => {
      const iso = Object.entries(CURRENCY_IDS).find(([, currencyId]) => currencyId === id)?.[0];
      if (table === 'transactioncurrency' && iso)
        return { transactioncurrencyid: id, isocurrencycode: iso, currencyprecision: CURRENCY_PRECISION[iso] };
      const row = await handler.retrieve?.(table, id, query ?? '');
      if (!row) throw new Error(`${table}(${id}) not found`);
      return row;
    }),
    updateRecord: jest.fn(async (table: string, id: string, data: Entity) => {
      await handler.update?.(table, id, data);
      return { id, name: '', entityType: table };
    }),
    createRecord: jest.fn(),
    deleteRecord: jest.fn(),
  };
  const parameters: Record<string, unknown> = { boundField: boundProperty('x') };
  for (const [name, value] of Object.entries(options.parameters ?? {})) parameters[name] = boundProperty(value);
  return {
    parameters,
    updatedProperties: [],
    mode: {
      isControlDisabled: options.disabled ?? false,
      isVisible: true,
      label: options.control,
      contextInfo: options.record && { entityId: options.record.id, entityTypeName: options.record.entityName },
      setControlState: jest.fn(),
      setFullScreen: jest.fn(),
      trackContainerResize: jest.fn(),
    },
    resources: { getString: (key: string) => strings[key] ?? '', getResource: jest.fn() },
    formatting: testFormatting,
    userSettings: {
      userId: options.userId ?? '{00000000-0000-0000-0000-0000000000aa}',
      userName: 'Test User',
      languageId: 1033,
      securityRoles: [],
      numberFormattingInfo: { numberDecimalSeparator: '.', numberGroupSeparator: ',' },
    },
    utils: {
      hasEntityPrivilege: (table: string, type: number) => (options.privileges?.[table] ?? []).includes(type),
      getEntityMetadata: jest.fn(),
      lookupObjects: jest.fn(),
    },
    webAPI,
    navigation: { openAlertDialog: jest.fn(), openForm: jest.fn() },
  } as unknown as ComponentFramework.Context<TInputs>;
}
