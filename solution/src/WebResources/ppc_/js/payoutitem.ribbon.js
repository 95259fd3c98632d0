/* global Xrm, window */
// Payout item command bar: "Cancel unclaimed payout" (form and grid). Sets ppc_cancelrequested on an Unclaimed
// item; the solution's step posts the update to the proxy, which checks the user who made it (Payout Approver or
// PayPal Finance, read from Dataverse, never from a column), asks PayPal to cancel the item (UNCLAIMED only:
// developer.paypal.com/docs/api/payments.payouts-batch/v1/#payouts-item_cancel), books the money coming back and
// clears the flag. Pressing it twice cancels once.
var PPC = window.PPC || {};
PPC.PayoutItem = (function () {
  'use strict';
  var TABLE = 'ppc_payoutitem';
  var UNCLAIMED = 416500111;
  var ROLES = ['Payout Approver', 'PayPal Finance'];
  var TITLE = 'Cancel unclaimed payout';

  function mayCancel() {
    var found = false;
    Xrm.Utility.getGlobalContext().userSettings.roles.forEach(function (r) {
      if (ROLES.indexOf(r.name) >= 0) found = true;
    });
    return found;
  }

  function request(id) {
    var clean = id.replace(/[{}]/g, '').toLowerCase();
    return Xrm.WebApi.retrieveRecord(TABLE, clean, '?$select=statuscode,ppc_paypalitemid').then(function (item) {
      if (item.statuscode !== UNCLAIMED || !item.ppc_paypalitemid) {
        throw new Error('Only an unclaimed payout item can be cancelled.');
      }
      return Xrm.WebApi.updateRecord(TABLE, clean, { ppc_cancelrequested: true });
    });
  }

  function confirm(text) {
    return Xrm.Navigation.openConfirmDialog({ title: TITLE, text: text }).then(function (r) {
      return r.confirmed;
    });
  }

  function report(error) {
    return Xrm.Navigation.openAlertDialog({ title: TITLE, text: error.message || String(error) });
  }

  function cancelForm(formContext) {
    return confirm('Cancel this unclaimed payout? PayPal returns the money to the PayPal balance.')
      .then(function (yes) {
        if (!yes) return undefined;
        return request(formContext.data.entity.getId()).then(function () {
          return formContext.data.refresh(false);
        });
      })
      .catch(report);
  }

  function cancelGrid(ids, gridControl) {
    return confirm('Cancel ' + ids.length + ' unclaimed payout(s)? PayPal returns the money to the PayPal balance.')
      .then(function (yes) {
        if (!yes) return undefined;
        var chain = Promise.resolve();
        ids.forEach(function (id) {
          chain = chain.then(function () {
            return request(id);
          });
        });
        return chain.then(function () {
          gridControl.refresh();
        });
      })
      .catch(report);
  }

  return { mayCancel: mayCancel, cancelForm: cancelForm, cancelGrid: cancelGrid, unclaimedStatus: UNCLAIMED };
})();
window.PPC = PPC;
