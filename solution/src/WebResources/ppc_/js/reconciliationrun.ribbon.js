/* global Xrm, window */
// Reconciliation run command bar: Reconcile now. Sets ppc_runrequested on a run; the solution's step posts the
// update to the proxy, which checks the user holds PayPal Finance, reconciles the run's day (its currency scope
// only, when set) once, and writes the result back on the run (counts, totals, breaks, or why it could not).
// On the grid: the selected runs are asked again; with none selected, a new On Demand run opens for yesterday
// (change the date and the currency scope, save, then press Reconcile now on it).
var PPC = window.PPC || {};
PPC.ReconciliationRun = (function () {
  'use strict';
  var TABLE = 'ppc_reconciliationrun';
  var ON_DEMAND = 416500163;
  var TITLE = 'Reconcile now';

  function clean(id) {
    return String(id).replace(/[{}]/g, '').toLowerCase();
  }

  function isoDate(d) {
    return d.toISOString().slice(0, 10);
  }

  function request(ids) {
    var pending = ids.map(function (id) {
      return Xrm.WebApi.updateRecord(TABLE, clean(id), { ppc_runrequested: true });
    });
    return Promise.all(pending);
  }

  function done(text, refresh) {
    return Xrm.Navigation.openAlertDialog({ title: TITLE, text: text }).then(function () {
      return refresh ? refresh() : undefined;
    });
  }

  function failed(error) {
    return Xrm.Navigation.openAlertDialog({ title: TITLE, text: (error && error.message) || String(error) });
  }

  function reconcileForm(formContext) {
    var id = clean(formContext.data.entity.getId());
    var scope = formContext.getAttribute('ppc_currencyscope');
    var currency = scope && scope.getValue();
    return Xrm.Navigation.openConfirmDialog({
      title: TITLE,
      text:
        'Reconcile this day' +
        (currency ? ' (' + currency + ' only)' : '') +
        ' with PayPal now? The result is written on this run in a moment.',
    })
      .then(function (result) {
        if (!result.confirmed) return undefined;
        return request([id]).then(function () {
          return done('Requested. Refresh in a moment to see the result.', function () {
            return formContext.data.refresh(false);
          });
        });
      })
      .catch(failed);
  }

  function reconcileGrid(selectedIds, gridControl) {
    var ids = selectedIds || [];
    if (!ids.length) {
      var yesterday = new Date(Date.now() - 86400000);
      return Xrm.Navigation.openForm(
        { entityName: TABLE, useQuickCreateForm: false },
        { ppc_name: 'Reconcile ' + isoDate(yesterday), ppc_rundate: isoDate(yesterday), ppc_source: ON_DEMAND },
      ).catch(failed);
    }
    return Xrm.Navigation.openConfirmDialog({
      title: TITLE,
      text: 'Reconcile the day of the ' + ids.length + ' selected run(s) with PayPal again?',
    })
      .then(function (result) {
        if (!result.confirmed) return undefined;
        return request(ids).then(function () {
          return done('Requested. Refresh in a moment to see the results.', function () {
            return gridControl && gridControl.refresh ? gridControl.refresh() : undefined;
          });
        });
      })
      .catch(failed);
  }

  return { reconcileForm: reconcileForm, reconcileGrid: reconcileGrid, onDemandSource: ON_DEMAND };
})();
window.PPC = PPC;
