/* global Xrm, window */
// Payout batch command bar: Approve / Reject (form and grid). Four-eyes: a Payout Approver who did not create
// the batch. The approval is the status change alone: the proxy re-checks role and creator when the "payout batch
// approved" webhook arrives and records who approved and when (those columns are the connector's, field-secured).
// Every warning of the batch (ppc_warnings, written by the connector's build) is shown and must be acknowledged: the
// approval sends the acknowledged codes (ppc_acknowledgedwarnings) in the same update, and the connector refuses an
// approval that does not cover the batch's warnings.
var PPC = window.PPC || {};
PPC.PayoutBatch = (function () {
  'use strict';
  var TABLE = 'ppc_payoutbatch';
  var STATUS = { PendingApproval: 416500100, Approved: 416500101, Rejected: 416500103 };
  var APPROVER_ROLE = 'Payout Approver';

  function currentUserId() {
    return Xrm.Utility.getGlobalContext().userSettings.userId.replace(/[{}]/g, '').toLowerCase();
  }

  function hasRole(name) {
    var roles = Xrm.Utility.getGlobalContext().userSettings.roles;
    var found = false;
    roles.forEach(function (r) {
      if (r.name === name) found = true;
    });
    return found;
  }

  function isApprover() {
    return hasRole(APPROVER_ROLE);
  }

  /** The warning lines of ppc_warnings ("<code> <text>" each). */
  function warningLines(text) {
    return String(text || '')
      .split(/\r?\n/)
      .map(function (l) {
        return l.trim();
      })
      .filter(function (l) {
        return l !== '';
      });
  }

  function decide(id, approve, comment) {
    var clean = id.replace(/[{}]/g, '').toLowerCase();
    return Xrm.WebApi.retrieveRecord(TABLE, clean, '?$select=statuscode,_createdby_value,ppc_name,ppc_warnings').then(
      function (batch) {
        if (batch.statuscode !== STATUS.PendingApproval) {
          throw new Error('Only a batch in Pending approval can be approved or rejected.');
        }
        if (String(batch._createdby_value).toLowerCase() === currentUserId()) {
          throw new Error('You created this payout batch; another Payout Approver must approve or reject it.');
        }
        var update = {
          statuscode: approve ? STATUS.Approved : STATUS.Rejected,
          statecode: approve ? 0 : 1,
          ppc_approvalcomment: comment || null,
        };
        var warnings = approve ? warningLines(batch.ppc_warnings) : [];
        if (!warnings.length) return Xrm.WebApi.updateRecord(TABLE, clean, update);
        return Xrm.Navigation.openConfirmDialog({
          title: 'Acknowledge the warnings of ' + (batch.ppc_name || 'this payout batch'),
          text: warnings.join('\n') + '\n\nApprove the payout with these warnings?',
        }).then(function (result) {
          if (!result.confirmed) return undefined;
          update.ppc_acknowledgedwarnings = warnings
            .map(function (l) {
              return l.split(/\s+/)[0];
            })
            .join('\n');
          return Xrm.WebApi.updateRecord(TABLE, clean, update);
        });
      },
    );
  }

  function report(error) {
    return Xrm.Navigation.openAlertDialog({ title: 'Payout batch', text: error.message || String(error) });
  }

  function fromForm(formContext, approve) {
    var comment = formContext.getAttribute('ppc_approvalcomment');
    return decide(formContext.data.entity.getId(), approve, comment ? comment.getValue() : null)
      .then(function () {
        return formContext.data.refresh(false);
      })
      .catch(report);
  }

  function fromGrid(ids, gridControl, approve) {
    var chain = Promise.resolve();
    ids.forEach(function (id) {
      chain = chain.then(function () {
        return decide(id, approve, null);
      });
    });
    return chain
      .then(function () {
        gridControl.refresh();
      })
      .catch(report);
  }

  // "Build payout batch": the Draft batch is saved and set to Pending approval; the proxy picks the due bills,
  // checks each one and writes the items with their reasons (the builder is the requester of the four-eyes check).
  function buildForm(formContext) {
    var id = formContext.data.entity.getId().replace(/[{}]/g, '').toLowerCase();
    return formContext.data
      .save()
      .then(function () {
        return Xrm.WebApi.updateRecord(TABLE, id, { statuscode: STATUS.PendingApproval, statecode: 0 });
      })
      .then(function () {
        return formContext.data.refresh(false);
      })
      .catch(report);
  }

  return {
    isApprover: isApprover,
    buildForm: buildForm,
    approveForm: function (formContext) {
      return fromForm(formContext, true);
    },
    rejectForm: function (formContext) {
      return fromForm(formContext, false);
    },
    approveGrid: function (ids, gridControl) {
      return fromGrid(ids, gridControl, true);
    },
    rejectGrid: function (ids, gridControl) {
      return fromGrid(ids, gridControl, false);
    },
  };
})();
window.PPC = PPC;
