// The one seam between controls and Dataverse: a few calls over context.webAPI, so services can be tested
// with an in-memory fake and the harness can back it with the Dataverse emulator.
export type Row = Record<string, unknown>;

export interface DataService {
  retrieve(table: string, id: string, columns: readonly string[]): Promise<Row>;
  /** `query` is the OData query string without the leading "?" */
  retrieveMultiple(table: string, query: string): Promise<Row[]>;
  update(table: string, id: string, data: Row): Promise<void>;
}

export function createDataService(webAPI: ComponentFramework.WebApi): DataService {
  return {
    retrieve: async (table, id, columns) =>
      (await webAPI.retrieveRecord(table, id, `?$select=${columns.join(',')}`)) as Row,
    retrieveMultiple: async (table, query) => {
      const rows: Row[] = [];
      let result = await webAPI.retrieveMultipleRecords(table, `?${query}`);
      rows.push(...(result.entities as Row[]));
      // follow @odata.nextLink: the platform returns it as an absolute URL with a $skiptoken
      while (result.nextLink) {
        const next = new URL(result.nextLink, 'http://x');
        result = await webAPI.retrieveMultipleRecords(table, next.search);
        rows.push(...(result.entities as Row[]));
      }
      return rows;
    },
    update: async (table, id, data) => {
      await webAPI.updateRecord(table, id, data);
    },
  };
}

export function num(row: Row, column: string): number | undefined {
  const value = row[column];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function str(row: Row, column: string): string | undefined {
  const value = row[column];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function date(row: Row, column: string): Date | undefined {
  const value = row[column];
  if (typeof value !== 'string') return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** GUIDs in $filter are bare literals; anything else in a filter goes through quote(). */
export function guid(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Error(`not a GUID: ${id}`);
  return id;
}

export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
