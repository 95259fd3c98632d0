import * as React from 'react';
import type { CommonProps } from '../shared/control-props';
import { commonProps, sameRecord } from '../shared/control-props';
import type { FormRecord } from '../shared/form-record';
import { isReadOnly } from '../shared/form-record';
import { missingPrivilege } from '../shared/access';
import { Privilege, PrivilegeDepth, Tables } from '../shared/names';
import { misplaced } from '../shared/placement';
import type { FraudService } from './fraud-service';
import { createFraudService } from './fraud-service';
import { FraudScore as FraudScoreComponent } from './FraudScore';
import type { IInputs, IOutputs } from './generated/ManifestTypes';

/** Tables whose forms host this control. */
const FORMS = [Tables.transaction, Tables.salesOrder];

export class FraudScore implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private common: CommonProps;
  private service: FraudService;
  private record: FormRecord | undefined;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.common = commonProps(context);
    this.service = createFraudService(this.common.data);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.record = sameRecord(this.record, context);
    const wrongForm = misplaced(this.record, FORMS, this.common.t);
    if (wrongForm) return wrongForm;
    return React.createElement(FraudScoreComponent, {
      service: this.service,
      record: this.record,
      accessProblem: context.utils.hasEntityPrivilege(Tables.transaction, Privilege.read, PrivilegeDepth.basic)
        ? undefined
        : missingPrivilege(this.common.t, 'read', Tables.transaction),
      reviewProblem: context.utils.hasEntityPrivilege(Tables.fraudAlert, Privilege.write, PrivilegeDepth.basic)
        ? undefined
        : missingPrivilege(this.common.t, 'write', Tables.fraudAlert),
      readOnly: isReadOnly(context, context.parameters.boundField),
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
