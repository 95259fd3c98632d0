// Environment variables, the webhook service endpoint and its steps.
import type { XmlNode } from '../lib/xml.ts';
import { stableGuid } from '../model/guid.ts';
import { DEFAULT_STATUS_MAP, EnvVar, SERVICE_ENDPOINT_ID, WEBHOOK_SECRET_HEADER } from '../model/integration.ts';

export { SERVICE_ENDPOINT_ID };

export interface EnvVarDef {
  schemaName: string;
  displayName: string;
  description: string;
  /** 100000000 String, 100000001 Number, 100000002 Boolean, 100000003 JSON */
  type: 100000000 | 100000001 | 100000002 | 100000003;
  defaultValue: string;
  required: boolean;
}

export const envVars: EnvVarDef[] = [
  {
    schemaName: EnvVar.ProxyBaseUrl,
    displayName: 'Proxy base URL',
    description: 'HTTPS base URL of the PayPal connector proxy, e.g. https://paypal-proxy.contoso.com',
    type: 100000000,
    defaultValue: '',
    required: true,
  },
  {
    schemaName: EnvVar.BaseCurrency,
    displayName: 'Base currency',
    description: 'ISO 4217 code of the organization base currency used for ledger base amounts and customer totals.',
    type: 100000000,
    defaultValue: 'USD',
    required: true,
  },
  {
    schemaName: EnvVar.FraudAlertThreshold,
    displayName: 'Fraud alert threshold',
    description: 'Score (0-100) at or above which a payment alert is raised for finance.',
    type: 100000001,
    defaultValue: '70',
    required: true,
  },
  {
    schemaName: EnvVar.FraudHoldThreshold,
    displayName: 'Fraud hold threshold',
    description: 'Score (0-100) at or above which the sales order is put on fraud hold.',
    type: 100000001,
    defaultValue: '90',
    required: true,
  },
  {
    schemaName: EnvVar.RefundApprovalThreshold,
    displayName: 'Refund approval threshold',
    description: 'Refunds above this amount (base currency, major units) need PayPal Finance approval first.',
    type: 100000001,
    defaultValue: '500',
    required: true,
  },
  {
    schemaName: EnvVar.PayoutItemLimit,
    displayName: 'Payout item limit',
    description:
      'Per-receiver amount (base currency, major units) above which the payout approval shows an over-limit warning.',
    type: 100000001,
    defaultValue: '10000',
    required: false,
  },
  {
    schemaName: EnvVar.FallbackProductNumber,
    displayName: 'Fallback product number',
    description:
      'productnumber of the product used for PayPal lines whose SKU matches no product (the transaction is flagged).',
    type: 100000000,
    defaultValue: 'PAYPAL-UNMATCHED',
    required: true,
  },
  {
    schemaName: EnvVar.StatusMap,
    displayName: 'PayPal status map',
    description:
      'JSON map of PayPal payment status → ppc_paypaltransaction statuscode ("transaction") and → order/invoice ppc_paymentstatus ("paymentStatus"); every status must be mapped.',
    type: 100000003,
    defaultValue: JSON.stringify(DEFAULT_STATUS_MAP),
    required: true,
  },
  {
    schemaName: EnvVar.FinanceAlertEmail,
    displayName: 'Finance alert email',
    description: 'Mailbox the "alert finance on payment alert" flow writes to.',
    type: 100000000,
    defaultValue: '',
    required: false,
  },
  {
    schemaName: EnvVar.AdminAlertEmail,
    displayName: 'Admin alert email',
    description: 'Mailbox the "alert admin on dead letter" flow writes to.',
    type: 100000000,
    defaultValue: '',
    required: false,
  },
];

export function envVarXml(v: EnvVarDef): XmlNode {
  return {
    environmentvariabledefinition: {
      '@_schemaname': v.schemaName,
      defaultvalue: v.defaultValue,
      description: { '@_default': v.description, label: { '@_description': v.description, '@_languagecode': '1033' } },
      displayname: { '@_default': v.displayName, label: { '@_description': v.displayName, '@_languagecode': '1033' } },
      introducedversion: '1.0.0.0',
      iscustomizable: 1,
      isrequired: v.required ? 1 : 0,
      secretstore: 0,
      type: v.type,
    },
  };
}

/** Webhook (Contract 8), HttpHeader auth (AuthType 5). AuthValue (the secret) is never exported: set it after import. */
export function serviceEndpointXml(): XmlNode {
  return {
    ServiceEndpoint: {
      '@_ServiceEndpointId': `{${SERVICE_ENDPOINT_ID}}`,
      '@_Name': 'PayPal Connector Proxy',
      // Element order of serviceendpointtype (CustomizationsSolution.xsd).
      ConnectionMode: 1,
      Contract: 8,
      Description: `Dataverse → proxy webhook (/webhooks/dataverse). After import set Url to <proxy>/webhooks/dataverse and the ${WEBHOOK_SECRET_HEADER} header value.`,
      UserClaim: 1,
      IsCustomizable: 1,
      AuthType: 5,
      MessageFormat: 2,
      NamespaceFormat: 1,
      Url: 'https://set-after-import.invalid/webhooks/dataverse',
    },
  };
}

const UPDATE_MESSAGE_ID = '20bebb1b-ea3e-db11-86a7-000a3a5473e8';

export interface StepDef {
  key: string;
  name: string;
  table: string;
  filtering: string[];
  imageAttributes: string[];
}

export const steps: StepDef[] = [
  {
    key: 'creditmemo-refund-requested',
    name: 'PayPal Connector: credit memo refund requested (Update of ppc_creditmemo statuscode)',
    table: 'ppc_creditmemo',
    filtering: ['statuscode'],
    imageAttributes: [
      'statuscode',
      'ppc_amount',
      'transactioncurrencyid',
      'ppc_invoiceid',
      'ppc_transactionid',
      'ppc_requestedby',
      'ppc_approvedby',
      'createdby',
    ],
  },
  {
    key: 'payoutbatch-approved',
    name: 'PayPal Connector: payout batch approved (Update of ppc_payoutbatch statuscode)',
    table: 'ppc_payoutbatch',
    // ppc_acknowledgedwarnings: the approver's acknowledgement of the batch's warnings is an update of its own
    // (Dataverse splits status and other columns into two operations), taken with the approver's identity.
    filtering: ['statuscode', 'ppc_acknowledgedwarnings'],
    imageAttributes: ['statuscode', 'ppc_senderbatchid', 'ppc_approvedby', 'createdby', 'ppc_acknowledgedwarnings'],
  },
  {
    key: 'fraudalert-reviewed',
    name: 'PayPal Connector: payment alert reviewed (Update of ppc_fraudalert statuscode)',
    table: 'ppc_fraudalert',
    filtering: ['statuscode'],
    imageAttributes: ['statuscode', 'ppc_alertkey', 'ppc_alerttype', 'ppc_transactionid', 'ppc_salesorderid'],
  },
  {
    key: 'subscription-action-requested',
    name: 'PayPal Connector: subscription cancel/suspend/activate requested (Update of ppc_subscription statuscode)',
    table: 'ppc_subscription',
    filtering: ['statuscode'],
    imageAttributes: ['statuscode', 'ppc_paypalsubscriptionid', 'ppc_actionreason'],
  },
  {
    key: 'payoutitem-cancel-requested',
    name: 'PayPal Connector: cancel of an unclaimed payout requested (Update of ppc_payoutitem ppc_cancelrequested)',
    table: 'ppc_payoutitem',
    filtering: ['ppc_cancelrequested'],
    imageAttributes: ['ppc_cancelrequested', 'ppc_paypalitemid', 'statuscode'],
  },
  {
    key: 'account-payoutreceiver-changed',
    name: 'PayPal Connector: vendor payout receiver changed (Update of account ppc_payoutreceiver)',
    table: 'account',
    filtering: ['ppc_payoutreceiver', 'ppc_payoutreceivertype'],
    imageAttributes: ['ppc_payoutreceiver', 'ppc_payoutreceivertype'],
  },
  {
    key: 'contact-payoutreceiver-changed',
    name: 'PayPal Connector: vendor payout receiver changed (Update of contact ppc_payoutreceiver)',
    table: 'contact',
    filtering: ['ppc_payoutreceiver', 'ppc_payoutreceivertype'],
    imageAttributes: ['ppc_payoutreceiver', 'ppc_payoutreceivertype'],
  },
  {
    key: 'integrationevent-retry-requested',
    name: 'PayPal Connector: retry requested (Update of ppc_integrationevent ppc_retryrequested)',
    table: 'ppc_integrationevent',
    filtering: ['ppc_retryrequested'],
    imageAttributes: ['ppc_retryrequested', 'ppc_eventid', 'statuscode'],
  },
  {
    // "Reconcile now": the proxy checks the initiating user holds PayPal Finance, runs the day once and writes
    // the result back on the row (proxy-service/src/reconciliation/run-request.ts).
    key: 'reconciliationrun-run-requested',
    name: 'PayPal Connector: reconcile now requested (Update of ppc_reconciliationrun ppc_runrequested)',
    table: 'ppc_reconciliationrun',
    filtering: ['ppc_runrequested'],
    imageAttributes: ['ppc_runrequested', 'ppc_rundate', 'ppc_source', 'ppc_currencyscope', 'statuscode'],
  },
];

export const stepId = (s: StepDef): string => stableGuid(`step:${s.key}`);

export function stepXml(s: StepDef): XmlNode {
  const id = stepId(s);
  return {
    SdkMessageProcessingStep: {
      '@_Name': s.name,
      '@_SdkMessageProcessingStepId': `{${id}}`,
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      // Element order of real exports (solution/corpus): SdkMessageId first, then as sdkmessageprocessingsteptype.
      SdkMessageId: UPDATE_MESSAGE_ID,
      PrimaryEntity: s.table,
      AsyncAutoDelete: 1,
      Description: s.name,
      FilteringAttributes: s.filtering.join(','),
      InvocationSource: 1,
      // Asynchronous post-operation: the user's save never waits on PayPal; Dataverse retries delivery.
      Mode: 1,
      Rank: 1,
      EventHandler: `{${SERVICE_ENDPOINT_ID}}`,
      EventHandlerTypeCode: 4618, // serviceendpoint (a plug-in step would be 4602, plugintype)
      Stage: 40,
      // Managed property: the step is ours (the endpoint's URL and secret are what admins configure).
      IsCustomizable: 0,
      IsHidden: 0,
      SupportedDeployment: 0,
      IntroducedVersion: '1.0.0.0',
      // Shipped disabled (statecode 1 Disabled / statuscode 2): the endpoint has no URL or secret until `deploy`
      // configures it and then turns the step on (solution/deploy).
      StateCode: 1,
      StatusCode: 2,
      SdkMessageProcessingStepImages: {
        SdkMessageProcessingStepImage: {
          '@_Name': 'PostImage',
          SdkMessageProcessingStepImageId: `{${stableGuid(`stepimage:${s.key}`)}}`,
          Attributes: s.imageAttributes.join(','),
          EntityAlias: 'PostImage',
          ImageType: 1,
          MessagePropertyName: 'Target',
          IsCustomizable: 0,
        },
      },
    },
  };
}
