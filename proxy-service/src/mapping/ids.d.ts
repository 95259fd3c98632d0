export declare function recordId(kind: string, paypalId: string): string;
