// Auth: @azure/msal-node client credentials against the emulator's Entra-like endpoints, interactive
// user tokens, role privileges ("a user without a role cannot create/update a table"), impersonation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfidentialClientApplication } from '@azure/msal-node';
import {
  APPLICATION_USER,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  INTERACTIVE_USERS,
  emulatorNetworkClient,
  msalAuthorityOptions,
} from '../src/index.ts';
import type { DataverseEmulator } from '../src/index.ts';
import { api, startEmulator, unique } from './helpers.ts';

let em: DataverseEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

describe('Entra-like token endpoint', () => {
  it('issues a client-credentials token through @azure/msal-node that the Web API accepts as the application user', async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: EMULATOR_CLIENT_ID,
        clientSecret: EMULATOR_CLIENT_SECRET,
        authority: em.msalAuthority,
        knownAuthorities: [new URL(em.url).host],
      },
      system: { networkClient: emulatorNetworkClient(em.url) },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [em.scope] });
    expect(result?.accessToken).toBeTruthy();
    const who = await api(em, 'GET', 'WhoAmI', { token: result?.accessToken as string });
    expect(who.status).toBe(200);
    expect(who.json().UserId).toBe(APPLICATION_USER.systemuserid);
  });

  it("works with msal-node's default network client when configured with authorityMetadata (msalAuthorityOptions)", async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: EMULATOR_CLIENT_ID,
        clientSecret: EMULATOR_CLIENT_SECRET,
        ...msalAuthorityOptions(em.url, em.tenantId),
      },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [em.scope] });
    expect((await api(em, 'GET', 'WhoAmI', { token: result?.accessToken as string })).json().UserId).toBe(
      APPLICATION_USER.systemuserid,
    );
  });

  it('rejects a wrong secret with invalid_client and serves the OpenID discovery document', async () => {
    const r = await fetch(em.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: EMULATOR_CLIENT_ID,
        client_secret: 'wrong',
        scope: em.scope,
      }).toString(),
    });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: string }).error).toBe('invalid_client');
    const oidc = (await (await fetch(`${em.authority}/v2.0/.well-known/openid-configuration`)).json()) as {
      token_endpoint: string;
    };
    expect(oidc.token_endpoint).toBe(em.tokenUrl);
  });

  it('gives interactive users tokens via /_emulator/token', async () => {
    const r = await fetch(`${em.url}/_emulator/token`, {
      method: 'POST',
      body: JSON.stringify({ user: 'refundagent' }),
    });
    const { access_token } = (await r.json()) as { access_token: string };
    const who = await api(em, 'GET', 'WhoAmI', { token: access_token });
    expect(who.json().UserId).toBe(INTERACTIVE_USERS.find((u) => u.key === 'refundagent')?.systemuserid);
  });
});

describe('privileges by security role', () => {
  it('denies create/update/read to a user without a role (403 0x80040220) and allows them with the role', async () => {
    const denied = await api(em, 'POST', 'ppc_samples', { user: 'noroles', body: { ppc_name: 'nope' } });
    expect(denied.status).toBe(403);
    expect(denied.json().error).toMatchObject({ code: '0x80040220' });
    expect(String(denied.json().error && (denied.json().error as { message: string }).message)).toContain(
      'prvCreateppc_sample',
    );
    // Refund Agent (role from the fixture solution's Roles/Refund Agent.xml) may create and update samples
    const ok = await api(em, 'POST', 'ppc_samples', { user: 'refundagent', body: { ppc_name: unique('ra') } });
    expect(ok.status).toBe(204);
    const id = /\(([0-9a-f-]{36})\)$/.exec(ok.headers.get('odata-entityid') ?? '')?.[1] as string;
    expect(
      (await api(em, 'PATCH', `ppc_samples(${id})`, { user: 'refundagent', body: { ppc_lineno: 3 } })).status,
    ).toBe(204);
    expect((await api(em, 'PATCH', `ppc_samples(${id})`, { user: 'noroles', body: { ppc_lineno: 4 } })).status).toBe(
      403,
    );
    expect((await api(em, 'GET', `ppc_samples(${id})`, { user: 'noroles' })).status).toBe(403);
    // ...but the role has no delete privilege
    expect((await api(em, 'DELETE', `ppc_samples(${id})`, { user: 'refundagent' })).status).toBe(403);
    // a sales user cannot touch the PayPal tables at all
    expect((await api(em, 'POST', 'ppc_samples', { user: 'salesuser', body: { ppc_name: 'x' } })).status).toBe(403);
  });

  it('exposes role assignments through systemuserroles_association (expand, any(), associate/disassociate)', async () => {
    const agent = INTERACTIVE_USERS.find((u) => u.key === 'refundagent')?.systemuserid as string;
    const expanded = (
      await api(em, 'GET', `systemusers(${agent})?$select=fullname&$expand=systemuserroles_association($select=name)`, {
        user: 'admin',
      })
    ).json();
    expect((expanded.systemuserroles_association as { name: string }[]).map((r) => r.name).sort()).toEqual([
      'Refund Agent',
      'Salesperson',
    ]);
    const holders = (
      await api(
        em,
        'GET',
        "systemusers?$select=fullname&$filter=systemuserroles_association/any(r:r/name eq 'Refund Agent')",
        { user: 'admin' },
      )
    ).json();
    const seededAgents = INTERACTIVE_USERS.filter((u) => u.roles.includes('Refund Agent')).map((u) => u.systemuserid);
    expect(seededAgents).toContain(agent);
    expect((holders.value as { systemuserid: string }[]).map((u) => u.systemuserid).sort()).toEqual(
      seededAgents.sort(),
    );
    const noroles = INTERACTIVE_USERS.find((u) => u.key === 'noroles')?.systemuserid as string;
    const role = (
      (await api(em, 'GET', "roles?$select=roleid&$filter=name eq 'Refund Agent'", { user: 'admin' })).json().value as {
        roleid: string;
      }[]
    )[0]?.roleid as string;
    const assign = await api(em, 'POST', `systemusers(${noroles})/systemuserroles_association/$ref`, {
      user: 'admin',
      body: { '@odata.id': `${em.apiUrl}roles(${role})` },
    });
    expect(assign.status).toBe(204);
    expect(
      (await api(em, 'POST', 'ppc_samples', { user: 'noroles', body: { ppc_name: unique('granted') } })).status,
    ).toBe(204);
    expect(
      (await api(em, 'DELETE', `systemusers(${noroles})/systemuserroles_association(${role})/$ref`, { user: 'admin' }))
        .status,
    ).toBe(204);
    expect(
      (await api(em, 'POST', 'ppc_samples', { user: 'noroles', body: { ppc_name: unique('revoked') } })).status,
    ).toBe(403);
  });

  it('answers RetrieveUserPrivileges for the harness (utils.hasEntityPrivilege)', async () => {
    const agent = INTERACTIVE_USERS.find((u) => u.key === 'refundagent')?.systemuserid as string;
    const r = await api(em, 'GET', `systemusers(${agent})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`, {
      user: 'refundagent',
    });
    expect(r.status).toBe(200);
    const names = (r.json().RolePrivileges as { PrivilegeName: string; Depth: string }[]).map((p) => p.PrivilegeName);
    expect(names).toContain('prvCreateppc_sample');
    expect(names).not.toContain('prvDeleteppc_sample');
  });

  it("impersonates with CallerObjectId: the privileges are the impersonated user's", async () => {
    const noroles = INTERACTIVE_USERS.find((u) => u.key === 'noroles');
    const r = await api(em, 'POST', 'ppc_samples', {
      user: 'admin',
      body: { ppc_name: 'imp' },
      headers: { CallerObjectId: noroles?.azureObjectId as string },
    });
    expect(r.status).toBe(403);
  });
});
