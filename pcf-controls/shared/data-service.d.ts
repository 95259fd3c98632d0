export type Row = Record<string, unknown>;
export interface DataService {
    retrieve(table: string, id: string, columns: readonly string[]): Promise<Row>;
    /** `query` is the OData query string without the leading "?" */
    retrieveMultiple(table: string, query: string): Promise<Row[]>;
    update(table: string, id: string, data: Row): Promise<void>;
}
export declare function createDataService(webAPI: ComponentFramework.WebApi): DataService;
export declare function num(row: Row, column: string): number | undefined;
export declare function str(row: Row, column: string): string | undefined;
export declare function date(row: Row, column: string): Date | undefined;
/** GUIDs in $filter are bare literals; anything else in a filter goes through quote(). */
export declare function guid(id: string): string;
export declare function quote(text: string): string;
