import * as React from 'react';
import type { CommonProps } from '../shared/control-props';
import { commonProps, sameRecord } from '../shared/control-props';
import type { FormRecord } from '../shared/form-record';
import { Tables } from '../shared/names';
import { misplaced } from '../shared/placement';
import { CustomerSpend as CustomerSpendComponent } from './CustomerSpend';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import type { SpendService } from './spend-service';
import { createSpendService } from './spend-service';

/** Tables whose forms host this control. */
const FORMS = [Tables.account, Tables.contact];

export class CustomerSpend implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private common: CommonProps;
  private service: SpendService;
  private record: FormRecord | undefined;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.common = commonProps(context);
    this.service = createSpendService(this.common.data);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.record = sameRecord(this.record, context);
    const wrongForm = misplaced(this.record, FORMS, this.common.t);
    if (wrongForm) return wrongForm;
    const configured = context.parameters.baseCurrency?.raw?.trim().toUpperCase();
    return React.createElement(CustomerSpendComponent, {
      service: this.service,
      record: this.record,
      baseCurrency: configured && /^[A-Z]{3}$/.test(configured) ? configured : 'USD',
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
