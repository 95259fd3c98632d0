import * as React from 'react';
import type { CommonProps } from '../shared/control-props';
import { commonProps, sameRecord } from '../shared/control-props';
import type { FormRecord } from '../shared/form-record';
import { isReadOnly } from '../shared/form-record';
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
    return React.createElement(RefundButtonComponent, {
      service: this.service,
      creditMemoId: this.record?.entityName === Tables.creditMemo ? this.record.id : undefined,
      canRefund: context.utils.hasEntityPrivilege(Tables.creditMemo, Privilege.write, PrivilegeDepth.basic),
      readOnly: isReadOnly(context, context.parameters.boundField),
      decimalSeparator: context.userSettings.numberFormattingInfo?.numberDecimalSeparator ?? '.',
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
