import * as React from 'react';
import type { CommonProps } from '../shared/control-props';
import { commonProps, sameRecord } from '../shared/control-props';
import type { FormRecord } from '../shared/form-record';
import { isReadOnly, userIdOf } from '../shared/form-record';
import type { Money } from '../shared/money';
import { toMajor } from '../shared/money';
import { Privilege, PrivilegeDepth, Tables } from '../shared/names';
import { misplaced } from '../shared/placement';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import type { RefundService } from './refund-service';
import { createRefundService } from './refund-service';
import { RefundButton as RefundButtonComponent } from './RefundButton';

/** Tables whose forms host this control. */
const FORMS = [Tables.creditMemo];

export class RefundButton implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private common: CommonProps;
  private service: RefundService;
  private record: FormRecord | undefined;
  private notifyOutputChanged: () => void;
  private requested: Money | undefined;

  public init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged: () => void): void {
    this.common = commonProps(context);
    this.service = createRefundService(this.common.data);
    this.notifyOutputChanged = notifyOutputChanged;
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.record = sameRecord(this.record, context);
    const wrongForm = misplaced(this.record, FORMS, this.common.t);
    if (wrongForm) return wrongForm;
    const can = (table: string, privilege: (typeof Privilege)[keyof typeof Privilege]) =>
      context.utils.hasEntityPrivilege(table, privilege, PrivilegeDepth.basic);
    return React.createElement(RefundButtonComponent, {
      service: this.service,
      creditMemoId: this.record?.entityName === Tables.creditMemo ? this.record.id : undefined,
      canRead: can(Tables.creditMemo, Privilege.read) && can(Tables.transaction, Privilege.read),
      // Refund Agent is the only human role with Create on credit memos (solution/packer/model/roles.ts)
      canRefund: can(Tables.creditMemo, Privilege.create) && can(Tables.creditMemo, Privilege.write),
      // PayPal Finance: Write on credit memos (to set Approved) and on payment alerts; the proxy checks the role
      canApprove: can(Tables.creditMemo, Privilege.write) && can(Tables.fraudAlert, Privilege.write),
      userId: userIdOf(context),
      readOnly: isReadOnly(context, context.parameters.boundField),
      t: this.common.t,
      format: this.common.format,
      onRequested: this.onRequested,
    });
  }

  /** The requested amount (major units) for form logic bound to the output property. */
  public getOutputs(): IOutputs {
    return this.requested ? { requestedAmount: toMajor(this.requested.minor, this.requested.currency) } : {};
  }

  public destroy(): void {
    // nothing to release: the platform unmounts the React tree
  }

  private onRequested = (amount: Money): void => {
    this.requested = amount;
    this.notifyOutputChanged();
  };
}
