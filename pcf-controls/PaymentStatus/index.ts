import * as React from 'react';
import type { CommonProps } from '../shared/control-props';
import { commonProps, sameRecord } from '../shared/control-props';
import type { FormRecord } from '../shared/form-record';
import { missingPrivilege } from '../shared/access';
import { Privilege, PrivilegeDepth, Tables } from '../shared/names';
import { misplaced } from '../shared/placement';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import type { PaymentService } from './payment-service';
import { createPaymentService } from './payment-service';
import { PaymentStatus as PaymentStatusComponent } from './PaymentStatus';

/** Tables whose forms host this control. */
const FORMS = [Tables.salesOrder, Tables.invoice];

export class PaymentStatus implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private common: CommonProps;
  private service: PaymentService;
  private record: FormRecord | undefined;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.common = commonProps(context);
    this.service = createPaymentService(this.common.data);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.record = sameRecord(this.record, context);
    const wrongForm = misplaced(this.record, FORMS, this.common.t);
    if (wrongForm) return wrongForm;
    return React.createElement(PaymentStatusComponent, {
      service: this.service,
      record: this.record,
      // a Salesperson without PayPal Viewer gets the role to ask for, and the control reads nothing
      accessProblem: context.utils.hasEntityPrivilege(Tables.transaction, Privilege.read, PrivilegeDepth.basic)
        ? undefined
        : missingPrivilege(this.common.t, 'read', Tables.transaction),
      environment: context.parameters.paypalEnvironment?.raw ?? 'live',
      t: this.common.t,
      format: this.common.format,
    });
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // nothing to release: the platform unmounts the React tree
  }
}
