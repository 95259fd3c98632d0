// The data model as plain data. The scaffold turns it into SolutionPackager XML under solution/src;
// other workspaces import the status/option values from here instead of repeating magic numbers.

export type RequiredLevel = 'none' | 'recommended' | 'required' | 'systemrequired';

/** Relationship behaviour when the referenced (parent) row is deleted. */
export type CascadeDelete = 'Cascade' | 'RemoveLink' | 'Restrict';

export interface ColumnBase {
  name: string;
  label: string;
  description?: string;
  required?: RequiredLevel;
  /** Field-level audit; tables that hold money audit every column. */
  audit?: boolean;
  /**
   * Column (field) security: only System Administrators and the users/teams of a field security profile that
   * allows it can read, set on create or update it (field-security.ts). Lookup columns cannot be secured.
   */
  secured?: boolean;
}

export interface StringColumn extends ColumnBase {
  type: 'string';
  maxLength: number;
  format?: 'text' | 'email' | 'url' | 'phone';
}
export interface MemoColumn extends ColumnBase {
  type: 'memo';
  maxLength: number;
}
export interface MoneyColumn extends ColumnBase {
  type: 'money';
}
export interface DecimalColumn extends ColumnBase {
  type: 'decimal';
  precision: number;
  min: number;
  max: number;
}
export interface IntColumn extends ColumnBase {
  type: 'int';
  min: number;
  max: number;
}
export interface BoolColumn extends ColumnBase {
  type: 'bool';
  defaultValue?: boolean;
}
export interface DateTimeColumn extends ColumnBase {
  type: 'datetime';
  dateOnly?: boolean;
}
export interface ChoiceColumn extends ColumnBase {
  type: 'choice';
  options: readonly (readonly [number, string])[];
  defaultValue?: number;
}
export interface LookupColumn extends ColumnBase {
  type: 'lookup';
  target: string;
  /** What happens to this row when the target row is deleted (chosen per relationship, see README). */
  onDelete: CascadeDelete;
  /** Parental: assign/share/delete follow the parent (batch → items, run → breaks). */
  parental?: boolean;
}

export type Column =
  | StringColumn
  | MemoColumn
  | MoneyColumn
  | DecimalColumn
  | IntColumn
  | BoolColumn
  | DateTimeColumn
  | ChoiceColumn
  | LookupColumn;

export interface StatusReason {
  value: number;
  label: string;
}
export interface StateDef {
  value: number;
  label: string;
  invariantName: string;
  defaultStatus: number;
  statuses: readonly StatusReason[];
}

export interface KeyDef {
  name: string;
  label: string;
  columns: readonly string[];
}

export interface TableDef {
  name: string;
  label: string;
  pluralLabel: string;
  description: string;
  entitySetName: string;
  ownership: 'UserOwned' | 'OrganizationOwned';
  primaryName: { name: string; label: string; maxLength: number };
  /** Adds transactioncurrencyid + exchangerate; every money column gets a `_base` twin. */
  hasCurrency: boolean;
  audit: boolean;
  columns: readonly Column[];
  states: readonly StateDef[];
  keys: readonly KeyDef[];
}

/** New columns (and keys) the solution adds to a standard Dynamics 365 table. */
export interface TableExtension {
  name: string;
  label: string;
  entitySetName: string;
  columns: readonly Column[];
  keys: readonly KeyDef[];
}
