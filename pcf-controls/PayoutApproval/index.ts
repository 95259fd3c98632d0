import * as React from 'react';
import type { CommonProps } from '../shared/control-props';
import { commonProps, sameRecord } from '../shared/control-props';
import type { FormRecord } from '../shared/form-record';
import { isReadOnly } from '../shared/form-record';
import { Privilege, PrivilegeDepth, Tables } from '../shared/names';
import { misplaced } from '../shared/placement';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import type { Decision, PayoutService } from './payout-service';
import { createPayoutService, normaliseId } from './payout-service';
import { PayoutApproval as PayoutApprovalComponent } from './PayoutApproval';

/** PayPal Payouts' per-item ceiling for most currencies, used when the form does not configure one. */
const DEFAULT_ITEM_LIMIT = 20000;

/** Tables whose forms host this control. */
const FORMS = [Tables.payoutBatch];

export class PayoutApproval implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private common: CommonProps;
  private service: PayoutService;
  private record: FormRecord | undefined;
  private notifyOutputChanged: () => void;
  private decision: Decision | undefined;

  public init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged: () => void): void {
    this.common = commonProps(context);
    this.service = createPayoutService(this.common.data);
    this.notifyOutputChanged = notifyOutputChanged;
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.record = sameRecord(this.record, context);
    const wrongForm = misplaced(this.record, FORMS, this.common.t);
    if (wrongForm) return wrongForm;
    const limit = context.parameters.itemLimit?.raw;
    return React.createElement(PayoutApprovalComponent, {
      service: this.service,
      batchId: this.record?.entityName === Tables.payoutBatch ? this.record.id : undefined,
      userId: normaliseId(context.userSettings.userId) ?? '',
      canApprove: context.utils.hasEntityPrivilege(Tables.payoutBatch, Privilege.write, PrivilegeDepth.basic),
      readOnly: isReadOnly(context, context.parameters.boundField),
      itemLimit: typeof limit === 'number' && limit > 0 ? limit : DEFAULT_ITEM_LIMIT,
      t: this.common.t,
      format: this.common.format,
      onDecided: this.onDecided,
    });
  }

  /** "approve" / "reject" after the user decided, for form logic bound to the output property. */
  public getOutputs(): IOutputs {
    return this.decision ? { decision: this.decision } : {};
  }

  public destroy(): void {
    // nothing to release: the platform unmounts the React tree
  }

  private onDecided = (decision: Decision): void => {
    this.decision = decision;
    this.notifyOutputChanged();
  };
}
