// PayPal subscriptions in the solution (issue #19): the command bar (Cancel, Suspend, Activate, Collect outstanding
// balance, Reactivate) goes through the same webhook step as a status reason set on the form, and the dunning
// notice cloud flow triggers once per notice the proxy writes (ppc_dunningnoticekey).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { buildSolution } from '../packer/build.ts';
import { checkFlows } from '../packer/validate/flows.ts';
import { readTree, type FileTree } from '../packer/source.ts';
import { DunningNotice, SubscriptionStatus } from '../packer/model/options.ts';
import { subscription } from '../packer/model/tables.ts';
import { steps } from '../packer/scaffold/integration.ts';
import { SUBSCRIPTION_COMMANDS, SUBSCRIPTION_JS } from '../packer/scaffold/ribbon.ts';
import { flows } from '../packer/scaffold/flows.ts';
import { decode, fixtureControls, SRC_DIR } from './helpers.ts';

const FLOW_KEY = 'subscription-dunning-notice';
let tree: FileTree;
beforeAll(async () => {
  tree = await readTree(SRC_DIR);
});

const errorsOf = async (t: FileTree) =>
  buildSolution(t, await fixtureControls()).diagnostics.filter((d) => d.severity === 'error');

describe('dunning notice flow', () => {
  const f = flows.find((x) => x.key === FLOW_KEY)!;
  const path = `Workflows/${f.fileBase}.json`;
  type Def = {
    properties: {
      definition: {
        triggers: { trigger: { inputs: { parameters: Record<string, unknown> } } };
        actions: Record<string, { actions: Record<string, unknown>; else: { actions: Record<string, unknown> } }>;
      };
    };
  };
  const def = () => JSON.parse(decode(tree.get(path))) as Def;

  it('ships in solution/src, passes Flow.schema.json and the reference checks (tables, columns, variables)', async () => {
    expect(tree.has(path)).toBe(true);
    expect(checkFlows(new Map([[path, tree.get(path)!]]))).toEqual([]);
    expect((await errorsOf(tree)).filter((d) => d.file === path)).toEqual([]);
  });

  it('triggers on an update of ppc_subscription filtered on the notice key, so only a new notice sends mail', () => {
    const p = def().properties.definition.triggers.trigger.inputs.parameters;
    expect(p).toMatchObject({
      'subscriptionRequest/message': 3,
      'subscriptionRequest/entityname': 'ppc_subscription',
      'subscriptionRequest/scope': 4,
      'subscriptionRequest/filteringattributes': 'ppc_dunningnoticekey',
      'subscriptionRequest/filterexpression': 'ppc_dunningnotice ne null',
    });
    // the columns it reads are the subscription's
    const names = subscription.columns.map((c) => c.name);
    for (const c of ['ppc_dunningnotice', 'ppc_dunningnoticekey', 'ppc_dunningnoticeon', 'ppc_amountdue'])
      expect(names).toContain(c);
  });

  it('mails the customer (contact, else account) a text per notice, finance in copy', () => {
    const text = decode(tree.get(path));
    const branch = def().properties.definition.actions['Customer_is_a_contact']!;
    expect(Object.keys(branch.actions)).toEqual(['Get_contact', 'Send_notice_to_contact']);
    expect(Object.keys(branch.else.actions)).toEqual(['Get_account', 'Send_notice_to_account']);
    expect(JSON.stringify(branch.actions['Send_notice_to_contact'])).toContain(
      `"emailMessage/To":"@{body('Get_contact')?['emailaddress1']}"`,
    );
    expect(JSON.stringify(branch.actions['Send_notice_to_contact'])).toContain(
      '"emailMessage/Cc":"@parameters(\'Finance alert email (ppc_FinanceAlertEmail)\')"',
    );
    for (const v of [DunningNotice.Retrying, DunningNotice.PastDue, DunningNotice.Suspended])
      expect(text).toContain(`equals(triggerOutputs()?['body/ppc_dunningnotice'], ${v})`);
  });

  it('the validator catches the flow filtering on a column the table does not have', async () => {
    const broken = new Map(tree);
    broken.set(
      path,
      new TextEncoder().encode(decode(tree.get(path)).replace('"ppc_dunningnoticekey"', '"ppc_dunningnoticekeys"')),
    );
    expect(await errorsOf(broken)).toEqual([
      expect.objectContaining({ file: path, message: 'column ppc_subscription.ppc_dunningnoticekeys does not exist' }),
    ]);
  });
});

describe('ppc_subscription command bar', () => {
  const ribbon = () => decode(tree.get('Entities/ppc_subscription/RibbonDiff.xml'));

  it('has the five buttons on the form, each calling the web resource, enabled by its rule', () => {
    const xml = ribbon();
    expect(SUBSCRIPTION_COMMANDS.map((c) => c.label)).toEqual([
      'Cancel subscription',
      'Suspend subscription',
      'Activate subscription',
      'Collect outstanding balance',
      'Reactivate subscription',
    ]);
    for (const c of SUBSCRIPTION_COMMANDS) {
      expect(xml).toContain(`<Button Id="ppc.ppc_subscription.${c.action}.Form.Button"`);
      expect(xml).toContain(
        `<JavaScriptFunction Library="$webresource:${SUBSCRIPTION_JS}" FunctionName="PPC.Subscription.${c.fn}">`,
      );
      expect(xml).toContain(`FunctionName="PPC.Subscription.can${c.action}"`);
    }
    expect(tree.has(`WebResources/${SUBSCRIPTION_JS}`)).toBe(true);
  });

  it('the status reasons the buttons set are the ones the webhook step sends to the proxy', async () => {
    const step = steps.find((s) => s.key === 'subscription-action-requested')!;
    expect(step).toMatchObject({ table: 'ppc_subscription', filtering: ['statuscode'] });
    expect(step.imageAttributes).toEqual(expect.arrayContaining(['statuscode', 'ppc_actionreason']));
    const js = decode(tree.get(`WebResources/${SUBSCRIPTION_JS}`));
    for (const [name, value] of Object.entries(SubscriptionStatus).filter(([n]) =>
      ['Active', 'Suspended', 'CancelRequested', 'SuspendRequested', 'ActivateRequested', 'CollectRequested'].includes(
        n,
      ),
    ))
      expect(js).toContain(`${name}: ${value},`);
  });
});

// ---- the web resource, run as the browser would ----
interface Call {
  op: string;
  args: unknown[];
}
function fakeXrm(roles: string[], confirm = true) {
  const calls: Call[] = [];
  const Xrm = {
    Utility: {
      getGlobalContext: () => ({
        userSettings: {
          userId: '{5F0C7A6E-0000-4000-8000-000000000006}',
          roles: { forEach: (f: (r: { name: string }) => void) => roles.forEach((name) => f({ name })) },
        },
      }),
    },
    WebApi: {
      updateRecord: async (...args: unknown[]) => {
        calls.push({ op: 'update', args });
        return {};
      },
    },
    Navigation: {
      openAlertDialog: async (...args: unknown[]) => {
        calls.push({ op: 'alert', args });
      },
      openConfirmDialog: async (...args: unknown[]) => {
        calls.push({ op: 'confirm', args });
        return { confirmed: confirm };
      },
    },
  };
  return { Xrm, calls };
}
type Api = Record<string, (...a: unknown[]) => unknown>;
async function load(Xrm: unknown): Promise<Api> {
  const window: Record<string, unknown> = {};
  runInNewContext(await readFile(join(SRC_DIR, 'WebResources', SUBSCRIPTION_JS), 'utf8'), { window, Xrm, Promise });
  return (window['PPC'] as Record<string, Api>)['Subscription']!;
}
const ID = '7d1f0c2e-1111-4222-8333-444455556666';
function form(values: Record<string, unknown>) {
  const focused: string[] = [];
  return {
    focused,
    data: { entity: { getId: () => `{${ID.toUpperCase()}}` }, refresh: async () => undefined },
    getAttribute: (name: string) => (name in values ? { getValue: () => values[name] } : null),
    getControl: (name: string) => ({ setFocus: () => focused.push(name) }),
  };
}
const S = SubscriptionStatus;

describe('subscription.ribbon.js', () => {
  it('enables each button only in a status PayPal accepts it in, and only for PayPal Finance', async () => {
    const api = await load(fakeXrm(['PayPal Finance']).Xrm);
    const enabled = (values: Record<string, unknown>) =>
      SUBSCRIPTION_COMMANDS.filter((c) => api[`can${c.action}`]!(form(values))).map((c) => c.action);
    expect(enabled({ statuscode: S.Active, ppc_outstandingbalance: 0, ppc_failedpaymentcount: 0 })).toEqual([
      'Cancel',
      'Suspend',
    ]);
    expect(enabled({ statuscode: S.Active, ppc_outstandingbalance: 9.99, ppc_failedpaymentcount: 1 })).toEqual([
      'Cancel',
      'Suspend',
      'Collect',
    ]);
    // suspended at the threshold with a balance: collect first; once collected: reactivate
    expect(enabled({ statuscode: S.Suspended, ppc_outstandingbalance: 9.99, ppc_failedpaymentcount: 3 })).toEqual([
      'Cancel',
      'Collect',
    ]);
    expect(enabled({ statuscode: S.Suspended, ppc_outstandingbalance: 0, ppc_failedpaymentcount: 3 })).toEqual([
      'Cancel',
      'Reactivate',
    ]);
    // suspended on request: activate
    expect(enabled({ statuscode: S.Suspended, ppc_outstandingbalance: 0, ppc_failedpaymentcount: 0 })).toEqual([
      'Cancel',
      'Activate',
    ]);
    expect(enabled({ statuscode: S.Cancelled, ppc_outstandingbalance: 0 })).toEqual([]);
    expect(enabled({ statuscode: S.CancelRequested, ppc_outstandingbalance: 0 })).toEqual([]);

    const viewer = await load(fakeXrm(['PayPal Viewer', 'System Administrator']).Xrm);
    expect(
      SUBSCRIPTION_COMMANDS.filter((c) =>
        viewer[`can${c.action}`]!(form({ statuscode: S.Suspended, ppc_outstandingbalance: 9.99 })),
      ),
    ).toEqual([]);
  });

  it('Cancel and Suspend need the Action Reason (PayPal requires one): without it an alert, the field focused, nothing written', async () => {
    for (const fn of ['cancel', 'suspend']) {
      const { Xrm, calls } = fakeXrm(['PayPal Finance']);
      const f = form({ statuscode: S.Active, ppc_actionreason: '   ' });
      await (
        await load(Xrm)
      )[fn]!(f);
      expect(calls.map((c) => c.op)).toEqual(['alert']);
      expect(f.focused).toEqual(['ppc_actionreason']);
    }
  });

  it('each button sets its request status with the reason, after confirmation; a cancelled dialog writes nothing', async () => {
    const cases: [string, number, string | null][] = [
      ['cancel', S.CancelRequested, 'Customer moved'],
      ['suspend', S.SuspendRequested, 'Customer moved'],
      ['activate', S.ActivateRequested, 'Customer moved'],
      ['collect', S.CollectRequested, null],
      ['reactivate', S.ActivateRequested, null],
    ];
    for (const [fn, status, reason] of cases) {
      const { Xrm, calls } = fakeXrm(['PayPal Finance']);
      await (
        await load(Xrm)
      )[fn]!(form({ statuscode: S.Suspended, ppc_actionreason: reason }));
      expect(calls.filter((c) => c.op === 'update')).toEqual([
        { op: 'update', args: ['ppc_subscription', ID, { statuscode: status, ppc_actionreason: reason }] },
      ]);
    }
    const { Xrm, calls } = fakeXrm(['PayPal Finance'], false);
    await (
      await load(Xrm)
    )['cancel']!(form({ statuscode: S.Active, ppc_actionreason: 'x' }));
    expect(calls.map((c) => c.op)).toEqual(['confirm']);
  });
});
