/* global Xrm, window */
// PayPal subscription command bar: Cancel, Suspend, Activate, Collect outstanding balance, Reactivate.
// Each button sets the status reason that fires the "subscription action requested" webhook step, with the form's
// Action Reason, exactly as setting the status reason on the form does; the proxy checks the initiating user's role
// (PayPal Finance) and re-reads PayPal's state before it calls PayPal, so these rules only keep the bar honest.
var PPC = window.PPC || {};
PPC.Subscription = (function () {
  'use strict';
  var TABLE = 'ppc_subscription';
  var ROLE = 'PayPal Finance';
  // ppc_subscription.statuscode (solution/packer/model/options.ts SubscriptionStatus)
  var STATUS = {
    Active: 416500130,
    Suspended: 416500131,
    CancelRequested: 416500132,
    SuspendRequested: 416500133,
    ActivateRequested: 416500134,
    CollectRequested: 416500136,
  };
  // PayPal requires a reason (1–128 characters) to cancel or suspend; activate and capture take an optional one.
  var COMMANDS = {
    cancel: { title: 'Cancel subscription', status: STATUS.CancelRequested, reasonRequired: true },
    suspend: { title: 'Suspend subscription', status: STATUS.SuspendRequested, reasonRequired: true },
    activate: { title: 'Activate subscription', status: STATUS.ActivateRequested, reasonRequired: false },
    collect: { title: 'Collect outstanding balance', status: STATUS.CollectRequested, reasonRequired: false },
    reactivate: { title: 'Reactivate subscription', status: STATUS.ActivateRequested, reasonRequired: false },
  };

  function isFinance() {
    var found = false;
    Xrm.Utility.getGlobalContext().userSettings.roles.forEach(function (r) {
      if (r.name === ROLE) found = true;
    });
    return found;
  }

  function value(formContext, name) {
    var a = formContext.getAttribute(name);
    return a ? a.getValue() : null;
  }

  function state(formContext) {
    return {
      status: value(formContext, 'statuscode'),
      outstanding: Number(value(formContext, 'ppc_outstandingbalance') || 0),
      failed: Number(value(formContext, 'ppc_failedpaymentcount') || 0),
    };
  }

  // What PayPal accepts in each status (proxy-service/src/flows/subscriptions/commands.ts decideCommand).
  function canCancel(formContext) {
    var s = state(formContext);
    return isFinance() && (s.status === STATUS.Active || s.status === STATUS.Suspended);
  }
  function canSuspend(formContext) {
    return isFinance() && state(formContext).status === STATUS.Active;
  }
  /** A subscription suspended on request (no failed payments): activate it again. */
  function canActivate(formContext) {
    var s = state(formContext);
    return isFinance() && s.status === STATUS.Suspended && s.failed === 0 && s.outstanding <= 0;
  }
  /** PayPal's outstanding balance (failed payments not recovered) can be captured. */
  function canCollect(formContext) {
    var s = state(formContext);
    return isFinance() && (s.status === STATUS.Active || s.status === STATUS.Suspended) && s.outstanding > 0;
  }
  /** Suspended by dunning, the balance collected: PayPal reactivates it (it refuses while a balance is owed). */
  function canReactivate(formContext) {
    var s = state(formContext);
    return isFinance() && s.status === STATUS.Suspended && s.failed > 0 && s.outstanding <= 0;
  }

  function request(name, formContext) {
    var command = COMMANDS[name];
    var reason = (value(formContext, 'ppc_actionreason') || '').trim();
    if (command.reasonRequired && !reason) {
      var control = formContext.getControl && formContext.getControl('ppc_actionreason');
      if (control) control.setFocus();
      return Xrm.Navigation.openAlertDialog({
        title: command.title,
        text: 'PayPal requires a reason: enter the Action Reason first.',
      });
    }
    var id = formContext.data.entity.getId().replace(/[{}]/g, '').toLowerCase();
    return Xrm.Navigation.openConfirmDialog({
      title: command.title,
      text: command.title + ' in PayPal' + (reason ? ' (reason: ' + reason + ')' : '') + '?',
    })
      .then(function (result) {
        if (!result.confirmed) return undefined;
        var update = { statuscode: command.status, ppc_actionreason: reason ? reason.slice(0, 128) : null };
        return Xrm.WebApi.updateRecord(TABLE, id, update).then(function () {
          return formContext.data.refresh(false);
        });
      })
      .catch(function (error) {
        return Xrm.Navigation.openAlertDialog({ title: command.title, text: error.message || String(error) });
      });
  }

  return {
    canCancel: canCancel,
    canSuspend: canSuspend,
    canActivate: canActivate,
    canCollect: canCollect,
    canReactivate: canReactivate,
    cancel: function (formContext) {
      return request('cancel', formContext);
    },
    suspend: function (formContext) {
      return request('suspend', formContext);
    },
    activate: function (formContext) {
      return request('activate', formContext);
    },
    collect: function (formContext) {
      return request('collect', formContext);
    },
    reactivate: function (formContext) {
      return request('reactivate', formContext);
    },
  };
})();
window.PPC = PPC;
