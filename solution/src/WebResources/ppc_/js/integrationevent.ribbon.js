/* global Xrm, window */
// Integration event command bar: Retry. Sets ppc_retryrequested on a dead-lettered event; the solution's step posts
// the update to the proxy, which checks the user's role (Refund Agent for refunds, Payout Approver for payouts,
// PayPal Finance otherwise), replays the event once and records who asked and when. "Retry refund" on a Failed
// credit memo does the same on the memo's dead-lettered integration event.
var PPC = window.PPC || {};
PPC.IntegrationEvent = (function () {
  'use strict';
  var TABLE = 'ppc_integrationevent';
  var DEAD_LETTER = 416500222;
  var TITLE = 'Retry';

  function clean(id) {
    return id.replace(/[{}]/g, '').toLowerCase();
  }

  function ask(id, text, formContext) {
    return Xrm.Navigation.openConfirmDialog({ title: TITLE, text: text })
      .then(function (result) {
        if (!result.confirmed) return undefined;
        return Xrm.WebApi.updateRecord(TABLE, id, { ppc_retryrequested: true }).then(function () {
          return Xrm.Navigation.openAlertDialog({
            title: TITLE,
            text: 'Retry requested. The connector replays the event; refresh in a moment to see the outcome.',
          }).then(function () {
            return formContext.data.refresh(false);
          });
        });
      })
      .catch(function (error) {
        return Xrm.Navigation.openAlertDialog({ title: TITLE, text: error.message || String(error) });
      });
  }

  function retry(formContext) {
    var id = clean(formContext.data.entity.getId());
    return ask(id, 'Run this event again? Money moves at most once, whatever happens.', formContext);
  }

  function retryCreditMemo(formContext) {
    var memoId = clean(formContext.data.entity.getId());
    var query =
      '?$select=ppc_integrationeventid&$filter=_ppc_creditmemoid_value eq ' +
      memoId +
      ' and statuscode eq ' +
      DEAD_LETTER +
      '&$orderby=createdon desc&$top=1';
    return Xrm.WebApi.retrieveMultipleRecords(TABLE, query).then(function (result) {
      var event = result.entities[0];
      if (!event) {
        return Xrm.Navigation.openAlertDialog({
          title: TITLE,
          text: 'This refund did not fail in the connector (see the failure reason): correct the memo and request the refund again.',
        });
      }
      return ask(event.ppc_integrationeventid, 'Retry this refund through PayPal? It is refunded at most once.', formContext);
    });
  }

  return { retry: retry, retryCreditMemo: retryCreditMemo, deadLetterStatus: DEAD_LETTER };
})();
window.PPC = PPC;
