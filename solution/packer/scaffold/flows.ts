// Cloud flows as solution workflows (Category 5, definition JSON under Workflows/), reference/dataverse.md §2.5.
import type { XmlNode } from '../lib/xml.ts';
import { stableGuid } from '../model/guid.ts';
import * as O from '../model/options.ts';

export interface FlowDef {
  key: string;
  name: string;
  id: string;
  fileBase: string;
  definition: object;
}

const connectionReferences = {
  shared_commondataserviceforapps: {
    runtimeSource: 'embedded',
    connection: { connectionReferenceLogicalName: 'ppc_sharedcommondataserviceforapps' },
    api: { name: 'shared_commondataserviceforapps' },
  },
  shared_office365: {
    runtimeSource: 'embedded',
    connection: { connectionReferenceLogicalName: 'ppc_sharedoffice365' },
    api: { name: 'shared_office365' },
  },
};

function envParam(schemaName: string, label: string): Record<string, object> {
  return {
    [`${label} (${schemaName})`]: { defaultValue: '', type: 'String', metadata: { schemaName, description: label } },
  };
}

function dataverseTrigger(table: string, message: 1 | 3, filter?: string, filtering = 'statuscode'): object {
  return {
    type: 'OpenApiConnectionWebhook',
    inputs: {
      host: {
        connectionName: 'shared_commondataserviceforapps',
        operationId: 'SubscribeWebhookTrigger',
        apiId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps',
      },
      parameters: {
        'subscriptionRequest/message': message, // 1 added, 3 added or modified
        'subscriptionRequest/entityname': table,
        'subscriptionRequest/scope': 4, // organization
        ...(filter
          ? { 'subscriptionRequest/filterexpression': filter, 'subscriptionRequest/filteringattributes': filtering }
          : {}),
      },
      authentication: "@parameters('$authentication')",
    },
  };
}

function sendEmail(to: string, subject: string, body: string, cc?: string): object {
  return {
    type: 'OpenApiConnection',
    inputs: {
      host: {
        connectionName: 'shared_office365',
        operationId: 'SendEmailV2',
        apiId: '/providers/Microsoft.PowerApps/apis/shared_office365',
      },
      parameters: {
        'emailMessage/To': to,
        'emailMessage/Subject': subject,
        'emailMessage/Body': body,
        ...(cc ? { 'emailMessage/Cc': cc } : {}),
        'emailMessage/Importance': 'High',
      },
      authentication: "@parameters('$authentication')",
    },
    runAfter: {},
  };
}

function flow(
  key: string,
  name: string,
  trigger: object,
  parameters: Record<string, object>,
  actions: Record<string, object>,
): FlowDef {
  const id = stableGuid(`flow:${key}`);
  return {
    key,
    name,
    id,
    fileBase: `${name.replace(/[^A-Za-z0-9]/g, '')}-${id.toUpperCase()}`,
    definition: {
      properties: {
        connectionReferences,
        definition: {
          $schema:
            'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#',
          contentVersion: '1.0.0.0',
          parameters: {
            $connections: { defaultValue: {}, type: 'Object' },
            $authentication: { defaultValue: {}, type: 'SecureObject' },
            ...parameters,
          },
          triggers: { trigger },
          actions,
        },
        templateName: '',
      },
      schemaVersion: '1.0.0.0',
    },
  };
}

/** GetItem of a Dataverse row (entity set name) by id. */
function getRow(entitySet: string, id: string, select: string, runAfter: Record<string, string[]> = {}): object {
  return {
    type: 'OpenApiConnection',
    inputs: {
      host: {
        connectionName: 'shared_commondataserviceforapps',
        operationId: 'GetItem',
        apiId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps',
      },
      parameters: { entityName: entitySet, recordId: id, $select: select },
      authentication: "@parameters('$authentication')",
    },
    runAfter,
  };
}

const NOTICE = "triggerOutputs()?['body/ppc_dunningnotice']";
/** The customer's text per notice (DunningNotice values of model/options.ts). */
const noticeText =
  `@{if(equals(${NOTICE}, ${O.DunningNotice.Retrying}), 'We could not collect your last subscription payment. PayPal will try again in a few days; please check the card or account your subscription pays with.', ` +
  `if(equals(${NOTICE}, ${O.DunningNotice.PastDue}), 'Your subscription payment is past due: PayPal has one more try before the subscription is suspended. Please update your payment method now.', ` +
  `if(equals(${NOTICE}, ${O.DunningNotice.Suspended}), 'Your subscription is suspended because its payments failed. Contact us to settle the outstanding balance and reactivate it.', ` +
  `'Thank you: the amount owed on your subscription has been collected.')))}`;

/**
 * Dunning notice (issue #19): the proxy writes ppc_dunningnotice + ppc_dunningnoticekey once per stage of a
 * dunning episode (Retrying, Past due, Suspended, Paid; proxy-service/src/mapping/subscriptions/dunning-notice.ts),
 * and only then: the key is the trigger's filtering column, so a replayed PayPal event (the key unchanged, not
 * written) sends nothing. The notice goes to the subscription's customer (contact, else account), finance in copy.
 */
function dunningNoticeFlow(): FlowDef {
  const mail = (get: string) =>
    sendEmail(
      `@{body('${get}')?['emailaddress1']}`,
      "Your subscription @{triggerOutputs()?['body/ppc_paypalsubscriptionid']}: @{triggerOutputs()?['body/ppc_dunningnotice@OData.Community.Display.V1.FormattedValue']}",
      `<p>${noticeText}</p><p>Amount due: @{triggerOutputs()?['body/ppc_amountdue']} (@{triggerOutputs()?['body/ppc_name']}).</p>`,
      "@parameters('Finance alert email (ppc_FinanceAlertEmail)')",
    );
  return flow(
    'subscription-dunning-notice',
    'PayPal subscription dunning notice',
    dataverseTrigger('ppc_subscription', 3, 'ppc_dunningnotice ne null', 'ppc_dunningnoticekey'),
    envParam('ppc_FinanceAlertEmail', 'Finance alert email'),
    {
      Customer_is_a_contact: {
        type: 'If',
        expression: { not: { equals: ["@empty(triggerOutputs()?['body/_ppc_contactid_value'])", true] } },
        actions: {
          Get_contact: getRow('contacts', "@triggerOutputs()?['body/_ppc_contactid_value']", 'emailaddress1,fullname'),
          Send_notice_to_contact: { ...mail('Get_contact'), runAfter: { Get_contact: ['Succeeded'] } },
        },
        else: {
          actions: {
            Get_account: getRow('accounts', "@triggerOutputs()?['body/_ppc_accountid_value']", 'emailaddress1,name'),
            Send_notice_to_account: { ...mail('Get_account'), runAfter: { Get_account: ['Succeeded'] } },
          },
        },
        runAfter: {},
      },
    },
  );
}

export const flows: FlowDef[] = [
  flow(
    'alert-finance-on-payment-alert',
    'PayPal alert finance on payment alert',
    // Fraud Score alerts are mailed as an hourly digest (below); every other alert type at once.
    dataverseTrigger('ppc_fraudalert', 1, `ppc_alerttype ne ${O.AlertType.FraudScore}`),
    envParam('ppc_FinanceAlertEmail', 'Finance alert email'),
    {
      Send_alert_to_finance: sendEmail(
        "@parameters('Finance alert email (ppc_FinanceAlertEmail)')",
        "PayPal alert: @{triggerOutputs()?['body/ppc_name']}",
        "<p>Alert type @{triggerOutputs()?['body/ppc_alerttype@OData.Community.Display.V1.FormattedValue']}, score @{triggerOutputs()?['body/ppc_score']}.</p><p>@{triggerOutputs()?['body/ppc_reasons']}</p>",
      ),
    },
  ),
  // One alert per hour, never one per event: a burst of dead letters (PayPal down for an hour) is one email
  // listing them. The proxy mirrors each dead letter into ppc_integrationevent (status Dead letter).
  flow(
    'fraud-alert-digest',
    'PayPal fraud alert digest to finance',
    // Aggregated per window: one mail per hour listing the hour's new Fraud Score alerts (none: no mail).
    { type: 'Recurrence', recurrence: { frequency: 'Hour', interval: 1 } },
    envParam('ppc_FinanceAlertEmail', 'Finance alert email'),
    {
      List_new_fraud_alerts: {
        type: 'OpenApiConnection',
        inputs: {
          host: {
            connectionName: 'shared_commondataserviceforapps',
            operationId: 'ListRecords',
            apiId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps',
          },
          parameters: {
            entityName: 'ppc_fraudalerts',
            $select: 'ppc_name,ppc_score,ppc_reasons,createdon',
            $filter: `ppc_alerttype eq ${O.AlertType.FraudScore} and statuscode eq ${O.FraudAlertStatus.New} and createdon ge @{addHours(utcNow(), -1)}`,
            $orderby: 'ppc_score desc',
          },
          authentication: "@parameters('$authentication')",
        },
        runAfter: {},
      },
      Any_new_alerts: {
        type: 'If',
        expression: { greater: ["@length(outputs('List_new_fraud_alerts')?['body/value'])", 0] },
        actions: {
          Alerts_table: {
            type: 'Table',
            inputs: {
              from: "@outputs('List_new_fraud_alerts')?['body/value']",
              format: 'HTML',
              columns: [
                { header: 'Alert', value: "@item()?['ppc_name']" },
                { header: 'Score', value: "@item()?['ppc_score']" },
              ],
            },
            runAfter: {},
          },
          Send_digest_to_finance: {
            ...sendEmail(
              "@parameters('Finance alert email (ppc_FinanceAlertEmail)')",
              "PayPal fraud alerts: @{length(outputs('List_new_fraud_alerts')?['body/value'])} new in the last hour",
              "<p>New payments on fraud alert (review them in PayPal Finance → Payment Alerts):</p>@{body('Alerts_table')}",
            ),
            runAfter: { Alerts_table: ['Succeeded'] },
          },
        },
        else: { actions: {} },
        runAfter: { List_new_fraud_alerts: ['Succeeded'] },
      },
    },
  ),
  flow(
    'alert-admin-on-dead-letter',
    'PayPal alert admin on dead letter',
    { type: 'Recurrence', recurrence: { frequency: 'Hour', interval: 1 } },
    envParam('ppc_AdminAlertEmail', 'Admin alert email'),
    {
      List_new_dead_letters: {
        type: 'OpenApiConnection',
        inputs: {
          host: {
            connectionName: 'shared_commondataserviceforapps',
            operationId: 'ListRecords',
            apiId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps',
          },
          parameters: {
            entityName: 'ppc_integrationevents',
            $select: 'ppc_name,ppc_eventtype,ppc_attempts,ppc_lasterror,modifiedon',
            $filter: `statuscode eq ${O.IntegrationEventStatus.DeadLetter} and modifiedon ge @{addHours(utcNow(), -1)}`,
            $orderby: 'modifiedon desc',
          },
          authentication: "@parameters('$authentication')",
        },
        runAfter: {},
      },
      Any_new_dead_letters: {
        type: 'If',
        expression: { greater: ["@length(outputs('List_new_dead_letters')?['body/value'])", 0] },
        actions: {
          Dead_letter_table: {
            type: 'Table',
            inputs: {
              from: "@outputs('List_new_dead_letters')?['body/value']",
              format: 'HTML',
              columns: [
                { header: 'Event', value: "@item()?['ppc_name']" },
                { header: 'Attempts', value: "@item()?['ppc_attempts']" },
                { header: 'What happened', value: "@item()?['ppc_lasterror']" },
              ],
            },
            runAfter: {},
          },
          Send_alert_to_admin: {
            ...sendEmail(
              "@parameters('Admin alert email (ppc_AdminAlertEmail)')",
              "PayPal connector: @{length(outputs('List_new_dead_letters')?['body/value'])} new dead letter(s) in the last hour",
              "<p>Open the Integration Events view \"Dead Letters\" in D365 (or the proxy's admin console) and use Retry once the cause is fixed.</p>@{body('Dead_letter_table')}",
            ),
            runAfter: { Dead_letter_table: ['Succeeded'] },
          },
        },
        else: { actions: {} },
        runAfter: { List_new_dead_letters: ['Succeeded'] },
      },
    },
  ),
  dunningNoticeFlow(),
];

export function flowMetaXml(f: FlowDef): XmlNode {
  return {
    Workflow: {
      '@_WorkflowId': `{${f.id}}`,
      '@_Name': f.name,
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      JsonFileName: `/Workflows/${f.fileBase}.json`,
      Type: 1,
      Subprocess: 0,
      Category: 5,
      Mode: 0,
      Scope: 4,
      OnDemand: 0,
      TriggerOnCreate: 0,
      TriggerOnDelete: 0,
      AsyncAutodelete: 0,
      SyncWorkflowLogOnFailure: 0,
      // Draft (off): its connection references have no connection in a new environment; `deploy` turns it on
      // once they are bound (solution/deploy).
      StateCode: 0,
      StatusCode: 1,
      RunAs: 1,
      IsTransacted: 1,
      IntroducedVersion: '1.0.0.0',
      IsCustomizable: 1,
      IsCustomProcessingStepAllowedForOtherPublishers: 1,
      PrimaryEntity: 'none',
      LocalizedNames: { LocalizedName: { '@_languagecode': '1033', '@_description': f.name } },
    },
  };
}

export function connectionReferencesXml(): XmlNode {
  return {
    connectionreference: [
      {
        '@_connectionreferencelogicalname': 'ppc_sharedcommondataserviceforapps',
        connectionreferencedisplayname: 'PayPal Connector Dataverse',
        connectorid: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps',
        iscustomizable: 1,
        statecode: 0,
        statuscode: 1,
      },
      {
        '@_connectionreferencelogicalname': 'ppc_sharedoffice365',
        connectionreferencedisplayname: 'PayPal Connector Office 365 Outlook',
        connectorid: '/providers/Microsoft.PowerApps/apis/shared_office365',
        iscustomizable: 1,
        statecode: 0,
        statuscode: 1,
      },
    ],
  };
}
