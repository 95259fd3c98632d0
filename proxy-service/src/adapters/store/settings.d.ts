import type { Sql } from './store.ts';
export declare const SETTING_PAYPAL_WEBHOOK_ID = "paypal_webhook_id";
export declare function readSettings(sql: Sql): Promise<Map<string, string>>;
export declare function writeSetting(sql: Sql, key: string, value: string): Promise<void>;
