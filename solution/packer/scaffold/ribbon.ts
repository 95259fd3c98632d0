// Command bar (classic RibbonDiffXml, reference/dataverse.md §6): Approve / Reject on the payout batch form
// and grid, Request refund on the credit memo form. Display rules hide buttons from users without write
// privilege; enable rules check status and role in the web resource (the proxy re-checks before money moves).
import type { XmlNode } from '../lib/xml.ts';
import * as O from '../model/options.ts';

export const PAYOUT_JS = 'ppc_/js/payoutbatch.ribbon.js';
export const CREDITMEMO_JS = 'ppc_/js/creditmemo.ribbon.js';
export const INTEGRATIONEVENT_JS = 'ppc_/js/integrationevent.ribbon.js';
export const SUBSCRIPTION_JS = 'ppc_/js/subscription.ribbon.js';
export const RECONCILIATIONRUN_JS = 'ppc_/js/reconciliationrun.ribbon.js';
export const PAYOUTITEM_JS = 'ppc_/js/payoutitem.ribbon.js';

interface ButtonDef {
  id: string;
  location: string;
  label: string;
  image: string;
  command: string;
  library: string;
  fn: string;
  param: 'PrimaryControl' | 'SelectedControlSelectedItemIds';
  enableRules: string[];
  displayRules: string[];
}

function ribbon(buttons: ButtonDef[], displayRules: XmlNode[], enableRules: XmlNode[]): XmlNode {
  return {
    RibbonDiffXml: {
      CustomActions: {
        CustomAction: buttons.map((b, i) => ({
          '@_Id': `${b.id}.CustomAction`,
          '@_Location': b.location,
          '@_Sequence': String(10 + i),
          CommandUIDefinition: {
            Button: {
              '@_Id': b.id,
              '@_Command': b.command,
              '@_LabelText': `$LocLabels:${b.id}.Label`,
              '@_Alt': `$LocLabels:${b.id}.Label`,
              '@_ToolTipTitle': `$LocLabels:${b.id}.Label`,
              '@_TemplateAlias': 'o1',
              '@_ModernImage': b.image,
            },
          },
        })),
      },
      Templates: { RibbonTemplates: { '@_Id': 'Mscrm.Templates' } },
      CommandDefinitions: {
        CommandDefinition: buttons.map((b) => ({
          '@_Id': b.command,
          EnableRules: { EnableRule: b.enableRules.map((id) => ({ '@_Id': id })) },
          DisplayRules: { DisplayRule: b.displayRules.map((id) => ({ '@_Id': id })) },
          Actions: {
            JavaScriptFunction: {
              '@_Library': `$webresource:${b.library}`,
              '@_FunctionName': b.fn,
              CrmParameter: [
                { '@_Value': b.param },
                ...(b.param === 'SelectedControlSelectedItemIds' ? [{ '@_Value': 'SelectedControl' }] : []),
              ],
            },
          },
        })),
      },
      RuleDefinitions: {
        TabDisplayRules: '',
        DisplayRules: { DisplayRule: displayRules },
        EnableRules: { EnableRule: enableRules },
      },
      LocLabels: {
        LocLabel: buttons.map((b) => ({
          '@_Id': `${b.id}.Label`,
          Titles: { Title: { '@_description': b.label, '@_languagecode': '1033' } },
        })),
      },
    },
  };
}

const customRule = (id: string, library: string, fn: string, param?: string): XmlNode => ({
  '@_Id': id,
  CustomRule: {
    '@_FunctionName': fn,
    '@_Library': `$webresource:${library}`,
    '@_Default': 'false',
    ...(param ? { CrmParameter: { '@_Value': param } } : {}),
  },
});

export function payoutBatchRibbon(): XmlNode {
  const T = 'ppc_payoutbatch';
  const btn = (action: 'Approve' | 'Reject', where: 'Form' | 'Grid'): ButtonDef => ({
    id: `ppc.${T}.${action}.${where}.Button`,
    location:
      where === 'Form'
        ? `Mscrm.Form.${T}.MainTab.Save.Controls._children`
        : `Mscrm.HomepageGrid.${T}.MainTab.Management.Controls._children`,
    label: action === 'Approve' ? 'Approve payout' : 'Reject payout',
    image: action === 'Approve' ? 'Accept' : 'Cancel',
    command: `ppc.${T}.${action}.${where}.Command`,
    library: PAYOUT_JS,
    fn: `PPC.PayoutBatch.${action.toLowerCase()}${where}`,
    param: where === 'Form' ? 'PrimaryControl' : 'SelectedControlSelectedItemIds',
    enableRules:
      where === 'Form'
        ? ['ppc.payoutbatch.PendingApproval.EnableRule', 'ppc.payoutbatch.IsApprover.EnableRule']
        : ['Mscrm.SelectionCountAtLeastOne', 'ppc.payoutbatch.IsApprover.EnableRule'],
    displayRules:
      where === 'Form'
        ? ['ppc.payoutbatch.CanWrite.DisplayRule', 'ppc.payoutbatch.Existing.DisplayRule']
        : ['ppc.payoutbatch.CanWrite.DisplayRule'],
  });
  // "Build payout batch": a Draft batch goes to Pending approval; the proxy then picks the due bills, checks each
  // one and writes the items (the user who builds is the requester of the four-eyes check).
  const build: ButtonDef = {
    id: `ppc.${T}.Build.Form.Button`,
    location: `Mscrm.Form.${T}.MainTab.Save.Controls._children`,
    label: 'Build payout batch',
    image: 'Add',
    command: `ppc.${T}.Build.Form.Command`,
    library: PAYOUT_JS,
    fn: 'PPC.PayoutBatch.buildForm',
    param: 'PrimaryControl',
    enableRules: ['ppc.payoutbatch.Draft.EnableRule'],
    displayRules: ['ppc.payoutbatch.CanWrite.DisplayRule', 'ppc.payoutbatch.Existing.DisplayRule'],
  };
  return ribbon(
    [btn('Approve', 'Form'), btn('Reject', 'Form'), btn('Approve', 'Grid'), btn('Reject', 'Grid'), build],
    [
      {
        '@_Id': 'ppc.payoutbatch.CanWrite.DisplayRule',
        EntityPrivilegeRule: { '@_EntityName': T, '@_PrivilegeType': 'Write', '@_PrivilegeDepth': 'Basic' },
      },
      { '@_Id': 'ppc.payoutbatch.Existing.DisplayRule', FormStateRule: { '@_State': 'Existing' } },
    ],
    [
      {
        '@_Id': 'ppc.payoutbatch.PendingApproval.EnableRule',
        ValueRule: { '@_Field': 'statuscode', '@_Value': String(O.PayoutBatchStatus.PendingApproval) },
      },
      customRule('ppc.payoutbatch.IsApprover.EnableRule', PAYOUT_JS, 'PPC.PayoutBatch.isApprover'),
      {
        '@_Id': 'ppc.payoutbatch.Draft.EnableRule',
        ValueRule: { '@_Field': 'statuscode', '@_Value': String(O.PayoutBatchStatus.Draft) },
      },
    ],
  );
}

export function creditMemoRibbon(): XmlNode {
  const T = 'ppc_creditmemo';
  return ribbon(
    [
      {
        id: `ppc.${T}.RequestRefund.Form.Button`,
        location: `Mscrm.Form.${T}.MainTab.Save.Controls._children`,
        label: 'Request refund',
        image: 'Refresh',
        command: `ppc.${T}.RequestRefund.Command`,
        library: CREDITMEMO_JS,
        fn: 'PPC.CreditMemo.requestRefund',
        param: 'PrimaryControl',
        enableRules: ['ppc.creditmemo.Draft.EnableRule', 'ppc.creditmemo.IsRefundAgent.EnableRule'],
        displayRules: ['ppc.creditmemo.CanWrite.DisplayRule', 'ppc.creditmemo.Existing.DisplayRule'],
      },
      {
        // A refund that failed for good (dead letter): Retry on its integration event (the proxy replays it).
        id: `ppc.${T}.RetryRefund.Form.Button`,
        location: `Mscrm.Form.${T}.MainTab.Save.Controls._children`,
        label: 'Retry refund',
        image: 'Refresh',
        command: `ppc.${T}.RetryRefund.Command`,
        library: INTEGRATIONEVENT_JS,
        fn: 'PPC.IntegrationEvent.retryCreditMemo',
        param: 'PrimaryControl',
        enableRules: ['ppc.creditmemo.Failed.EnableRule', 'ppc.creditmemo.IsRefundAgent.EnableRule'],
        displayRules: ['ppc.creditmemo.CanWrite.DisplayRule', 'ppc.creditmemo.Existing.DisplayRule'],
      },
    ],
    [
      // Only Refund Agent (and the integration user) hold prvWriteppc_creditmemo.
      {
        '@_Id': 'ppc.creditmemo.CanWrite.DisplayRule',
        EntityPrivilegeRule: { '@_EntityName': T, '@_PrivilegeType': 'Write', '@_PrivilegeDepth': 'Basic' },
      },
      { '@_Id': 'ppc.creditmemo.Existing.DisplayRule', FormStateRule: { '@_State': 'Existing' } },
    ],
    [
      {
        '@_Id': 'ppc.creditmemo.Draft.EnableRule',
        ValueRule: { '@_Field': 'statuscode', '@_Value': String(O.CreditMemoStatus.Draft) },
      },
      {
        '@_Id': 'ppc.creditmemo.Failed.EnableRule',
        ValueRule: { '@_Field': 'statuscode', '@_Value': String(O.CreditMemoStatus.Failed) },
      },
      customRule('ppc.creditmemo.IsRefundAgent.EnableRule', CREDITMEMO_JS, 'PPC.CreditMemo.isRefundAgent'),
    ],
  );
}

/** Retry on a dead-lettered integration event: sets ppc_retryrequested; the proxy checks the role and replays. */
export function integrationEventRibbon(): XmlNode {
  const T = 'ppc_integrationevent';
  return ribbon(
    [
      {
        id: `ppc.${T}.Retry.Form.Button`,
        location: `Mscrm.Form.${T}.MainTab.Save.Controls._children`,
        label: 'Retry',
        image: 'Refresh',
        command: `ppc.${T}.Retry.Command`,
        library: INTEGRATIONEVENT_JS,
        fn: 'PPC.IntegrationEvent.retry',
        param: 'PrimaryControl',
        enableRules: ['ppc.integrationevent.DeadLetter.EnableRule'],
        displayRules: ['ppc.integrationevent.CanWrite.DisplayRule', 'ppc.integrationevent.Existing.DisplayRule'],
      },
    ],
    [
      // Refund Agent, Payout Approver and PayPal Finance hold write on integration events; the proxy decides
      // which of them may retry which event (the role that may move that money).
      {
        '@_Id': 'ppc.integrationevent.CanWrite.DisplayRule',
        EntityPrivilegeRule: { '@_EntityName': T, '@_PrivilegeType': 'Write', '@_PrivilegeDepth': 'Basic' },
      },
      { '@_Id': 'ppc.integrationevent.Existing.DisplayRule', FormStateRule: { '@_State': 'Existing' } },
    ],
    [
      {
        '@_Id': 'ppc.integrationevent.DeadLetter.EnableRule',
        ValueRule: { '@_Field': 'statuscode', '@_Value': String(O.IntegrationEventStatus.DeadLetter) },
      },
    ],
  );
}

/**
 * The five requests on a PayPal subscription (issue #19): each button sets the status reason the
 * "subscription action requested" step (Update of statuscode) sends to the proxy, with the form's Action Reason,
 * exactly as a status reason set on the form would; the proxy checks the initiating user's role and PayPal's
 * state before calling PayPal. Enable rules (web resource): PayPal Finance, and a status PayPal accepts the call in.
 */
export const SUBSCRIPTION_COMMANDS = [
  { action: 'Cancel', label: 'Cancel subscription', image: 'Cancel', fn: 'cancel' },
  { action: 'Suspend', label: 'Suspend subscription', image: 'Pause', fn: 'suspend' },
  { action: 'Activate', label: 'Activate subscription', image: 'Play', fn: 'activate' },
  { action: 'Collect', label: 'Collect outstanding balance', image: 'Money', fn: 'collect' },
  { action: 'Reactivate', label: 'Reactivate subscription', image: 'Refresh', fn: 'reactivate' },
] as const;

export function subscriptionRibbon(): XmlNode {
  const T = 'ppc_subscription';
  return ribbon(
    SUBSCRIPTION_COMMANDS.map((c) => ({
      id: `ppc.${T}.${c.action}.Form.Button`,
      location: `Mscrm.Form.${T}.MainTab.Save.Controls._children`,
      label: c.label,
      image: c.image,
      command: `ppc.${T}.${c.action}.Command`,
      library: SUBSCRIPTION_JS,
      fn: `PPC.Subscription.${c.fn}`,
      param: 'PrimaryControl' as const,
      enableRules: [`ppc.subscription.Can${c.action}.EnableRule`],
      displayRules: ['ppc.subscription.CanWrite.DisplayRule', 'ppc.subscription.Existing.DisplayRule'],
    })),
    [
      // PayPal Finance (and the integration user) hold write on subscriptions.
      {
        '@_Id': 'ppc.subscription.CanWrite.DisplayRule',
        EntityPrivilegeRule: { '@_EntityName': T, '@_PrivilegeType': 'Write', '@_PrivilegeDepth': 'Basic' },
      },
      { '@_Id': 'ppc.subscription.Existing.DisplayRule', FormStateRule: { '@_State': 'Existing' } },
    ],
    SUBSCRIPTION_COMMANDS.map((c) =>
      customRule(
        `ppc.subscription.Can${c.action}.EnableRule`,
        SUBSCRIPTION_JS,
        `PPC.Subscription.can${c.action}`,
        'PrimaryControl',
      ),
    ),
  );
}

/**
 * "Reconcile now" on reconciliation runs. Grid: with runs selected, each one's day is asked again; with none, a
 * new On Demand run opens (date, optional currency) to save and then reconcile. Form: asks this run's day
 * (sets ppc_runrequested). Shown to users who may write runs (PayPal Finance); the proxy re-checks the role.
 */
export function reconciliationRunRibbon(): XmlNode {
  const T = 'ppc_reconciliationrun';
  return ribbon(
    [
      {
        id: `ppc.${T}.ReconcileNow.Form.Button`,
        location: `Mscrm.Form.${T}.MainTab.Save.Controls._children`,
        label: 'Reconcile now',
        image: 'Refresh',
        command: `ppc.${T}.ReconcileNow.Form.Command`,
        library: RECONCILIATIONRUN_JS,
        fn: 'PPC.ReconciliationRun.reconcileForm',
        param: 'PrimaryControl',
        enableRules: ['ppc.reconciliationrun.NotRequested.EnableRule'],
        displayRules: ['ppc.reconciliationrun.CanWrite.DisplayRule', 'ppc.reconciliationrun.Existing.DisplayRule'],
      },
      {
        id: `ppc.${T}.ReconcileNow.Grid.Button`,
        location: `Mscrm.HomepageGrid.${T}.MainTab.Management.Controls._children`,
        label: 'Reconcile now',
        image: 'Refresh',
        command: `ppc.${T}.ReconcileNow.Grid.Command`,
        library: RECONCILIATIONRUN_JS,
        fn: 'PPC.ReconciliationRun.reconcileGrid',
        param: 'SelectedControlSelectedItemIds',
        enableRules: [],
        displayRules: ['ppc.reconciliationrun.CanCreate.DisplayRule'],
      },
    ],
    [
      {
        '@_Id': 'ppc.reconciliationrun.CanWrite.DisplayRule',
        EntityPrivilegeRule: { '@_EntityName': T, '@_PrivilegeType': 'Write', '@_PrivilegeDepth': 'Global' },
      },
      {
        '@_Id': 'ppc.reconciliationrun.CanCreate.DisplayRule',
        EntityPrivilegeRule: { '@_EntityName': T, '@_PrivilegeType': 'Create', '@_PrivilegeDepth': 'Global' },
      },
      { '@_Id': 'ppc.reconciliationrun.Existing.DisplayRule', FormStateRule: { '@_State': 'Existing' } },
    ],
    [
      {
        '@_Id': 'ppc.reconciliationrun.NotRequested.EnableRule',
        ValueRule: { '@_Field': 'ppc_runrequested', '@_Value': 'false' },
      },
    ],
  );
}

/**
 * "Cancel unclaimed payout" on a payout item (form and grid): sets ppc_cancelrequested on an Unclaimed item; the
 * solution's step posts the update, the proxy checks the event's initiating user (Payout Approver or PayPal
 * Finance), asks PayPal (POST /v1/payments/payouts-item/{id}/cancel, UNCLAIMED only) and books the return.
 */
export function payoutItemRibbon(): XmlNode {
  const T = 'ppc_payoutitem';
  const btn = (where: 'Form' | 'Grid'): ButtonDef => ({
    id: `ppc.${T}.CancelUnclaimed.${where}.Button`,
    location:
      where === 'Form'
        ? `Mscrm.Form.${T}.MainTab.Save.Controls._children`
        : `Mscrm.HomepageGrid.${T}.MainTab.Management.Controls._children`,
    label: 'Cancel unclaimed payout',
    image: 'Cancel',
    command: `ppc.${T}.CancelUnclaimed.${where}.Command`,
    library: PAYOUTITEM_JS,
    fn: `PPC.PayoutItem.cancel${where}`,
    param: where === 'Form' ? 'PrimaryControl' : 'SelectedControlSelectedItemIds',
    enableRules:
      where === 'Form'
        ? ['ppc.payoutitem.Unclaimed.EnableRule', 'ppc.payoutitem.MayCancel.EnableRule']
        : ['Mscrm.SelectionCountAtLeastOne', 'ppc.payoutitem.MayCancel.EnableRule'],
    displayRules:
      where === 'Form'
        ? ['ppc.payoutitem.CanWrite.DisplayRule', 'ppc.payoutitem.Existing.DisplayRule']
        : ['ppc.payoutitem.CanWrite.DisplayRule'],
  });
  return ribbon(
    [btn('Form'), btn('Grid')],
    [
      // Payout Approver and PayPal Finance hold Write on payout items (roles.ts); the proxy decides again.
      {
        '@_Id': 'ppc.payoutitem.CanWrite.DisplayRule',
        EntityPrivilegeRule: { '@_EntityName': T, '@_PrivilegeType': 'Write', '@_PrivilegeDepth': 'Basic' },
      },
      { '@_Id': 'ppc.payoutitem.Existing.DisplayRule', FormStateRule: { '@_State': 'Existing' } },
    ],
    [
      {
        '@_Id': 'ppc.payoutitem.Unclaimed.EnableRule',
        ValueRule: { '@_Field': 'statuscode', '@_Value': String(O.PayoutItemStatus.Unclaimed) },
      },
      customRule('ppc.payoutitem.MayCancel.EnableRule', PAYOUTITEM_JS, 'PPC.PayoutItem.mayCancel'),
    ],
  );
}
