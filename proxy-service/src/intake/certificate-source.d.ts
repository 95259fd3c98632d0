import { X509Certificate } from 'node:crypto';
export interface CertificateSource {
    /** The PEM chain served at a paypal-cert-url (leaf first). */
    chain(url: string): Promise<X509Certificate[]>;
    /** An issuer certificate from the leaf's Authority Information Access URL (DER or PEM). */
    issuer(url: string): Promise<X509Certificate>;
}
/** Splits a PEM bundle into certificates. */
export declare function parsePemChain(pem: string): X509Certificate[];
export declare function httpCertificateSource(timeoutMs?: number): CertificateSource;
