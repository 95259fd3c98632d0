/* global Xrm, window */
// Credit memo command bar: Request refund. Only Refund Agents hold write access to credit memos; the status
// change fires the "credit memo refund requested" webhook and the proxy refunds through PayPal.
var PPC = window.PPC || {};
PPC.CreditMemo = (function () {
  'use strict';
  var TABLE = 'ppc_creditmemo';
  var STATUS = { Draft: 1, RefundRequested: 416500021 };
  var ROLE = 'Refund Agent';

  function isRefundAgent() {
    var found = false;
    Xrm.Utility.getGlobalContext().userSettings.roles.forEach(function (r) {
      if (r.name === ROLE) found = true;
    });
    return found;
  }

  function requestRefund(formContext) {
    var amount = formContext.getAttribute('ppc_amount').getValue();
    if (!(amount > 0)) {
      return Xrm.Navigation.openAlertDialog({
        title: 'Request refund',
        text: 'Enter a refund amount greater than zero.',
      });
    }
    var userId = Xrm.Utility.getGlobalContext().userSettings.userId.replace(/[{}]/g, '').toLowerCase();
    var id = formContext.data.entity.getId().replace(/[{}]/g, '').toLowerCase();
    return Xrm.Navigation.openConfirmDialog({
      title: 'Request refund',
      text: 'Refund ' + amount + ' to the customer through PayPal?',
    })
      .then(function (result) {
        if (!result.confirmed) return undefined;
        var update = { statuscode: STATUS.RefundRequested, ppc_requestedon: new Date().toISOString() };
        update['ppc_requestedby@odata.bind'] = '/systemusers(' + userId + ')';
        return Xrm.WebApi.updateRecord(TABLE, id, update).then(function () {
          return formContext.data.refresh(false);
        });
      })
      .catch(function (error) {
        return Xrm.Navigation.openAlertDialog({ title: 'Request refund', text: error.message || String(error) });
      });
  }

  return { isRefundAgent: isRefundAgent, requestRefund: requestRefund, draftStatus: STATUS.Draft };
})();
window.PPC = PPC;
