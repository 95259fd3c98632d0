import type { IncomingHttpHeaders } from 'node:http';
export interface PayPalTransmission {
    transmissionId: string;
    transmissionTime: string;
    transmissionSig: string;
    certUrl: string;
    authAlgo: string;
}
/** Returns the transmission, or the name of the first missing header. */
export declare function readTransmission(headers: IncomingHttpHeaders): PayPalTransmission | {
    missing: string;
};
