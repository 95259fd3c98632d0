// A local Entra ID stand-in: client-credentials tokens for application users and direct tokens for
// interactive users. Tokens are HS256 JWTs with Entra's claim names (oid, appid, tid, aud) so
// clients that peek into them see the usual shape; only this emulator validates them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  oid: string;
  appid?: string;
  tid: string;
  aud: string;
  iss: string;
  iat: number;
  exp: number;
  name?: string;
}

const b64 = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

export class TokenIssuer {
  private readonly key = randomBytes(32);
  readonly tenantId: string;
  constructor(tenantId: string) {
    this.tenantId = tenantId;
  }

  issue(claims: Omit<TokenClaims, 'iat' | 'exp' | 'tid'>, nowMs: number, lifetimeSeconds = 3599): string {
    const iat = Math.floor(nowMs / 1000);
    const full: TokenClaims = { ...claims, tid: this.tenantId, iat, exp: iat + lifetimeSeconds };
    const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64(JSON.stringify(full));
    const sig = b64(createHmac('sha256', this.key).update(`${head}.${body}`).digest());
    return `${head}.${body}.${sig}`;
  }

  private readonly verified = new Map<string, TokenClaims>();

  /** Returns the claims, or a reason string when the token is not acceptable. */
  verify(token: string, nowMs: number): TokenClaims | string {
    const known = this.verified.get(token);
    if (known) return known.exp * 1000 <= nowMs ? 'token expired' : known;
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return 'malformed token';
    const expected = createHmac('sha256', this.key).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid signature';
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    if (claims.exp * 1000 <= nowMs) return 'token expired';
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }
}

/** The OpenID Connect discovery document MSAL reads for an authority `${base}/${tenant}`. */
export function openIdConfiguration(base: string, tenant: string): Record<string, unknown> {
  return {
    token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/${tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'oid', 'tid'],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}
