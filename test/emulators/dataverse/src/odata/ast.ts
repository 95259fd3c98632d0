// $filter abstract syntax tree.
export type Literal =
  | { kind: 'literal'; type: 'string'; value: string }
  | { kind: 'literal'; type: 'number'; value: number }
  | { kind: 'literal'; type: 'boolean'; value: boolean }
  | { kind: 'literal'; type: 'null'; value: null }
  | { kind: 'literal'; type: 'guid'; value: string }
  | { kind: 'literal'; type: 'datetime'; value: string };

export type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type Expr =
  | Literal
  | { kind: 'property'; path: string[] }
  | { kind: 'compare'; op: Comparison; left: Expr; right: Expr }
  | { kind: 'logical'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'call'; name: string; args: Expr[] }
  /** Dataverse query functions: Microsoft.Dynamics.CRM.<Name>(PropertyName='x',PropertyValue=…) */
  | { kind: 'crmcall'; name: string; params: Record<string, Expr> }
  | { kind: 'lambda'; op: 'any' | 'all'; path: string[]; variable?: string; body?: Expr }
  | { kind: 'list'; items: Expr[] };
