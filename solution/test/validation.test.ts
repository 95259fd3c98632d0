// Validation: each broken fixture is caught with a message naming file and element, and the shipped flows
// and web resources pass.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { buildSolution } from '../packer/build.ts';
import { formatDiagnostic, type Diagnostic } from '../packer/diagnostics.ts';
import { readTree } from '../packer/source.ts';
import { lintWebResources } from '../packer/validate/lint.ts';
import { checkFlows } from '../packer/validate/flows.ts';
import { fixtureControls, fixtureTree, SRC_DIR } from './helpers.ts';

const errors = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');

describe('validation', () => {
  it('the minimal fixture is valid (so each broken case fails for its own reason)', async () => {
    const r = buildSolution(await fixtureTree(), await fixtureControls());
    expect(errors(r.diagnostics)).toEqual([]);
  });

  it('catches a lookup to a missing table', async () => {
    const r = buildSolution(await fixtureTree('lookup-missing-table'), []);
    expect(r.ok).toBe(false);
    expect(errors(r.diagnostics)).toContainEqual(
      expect.objectContaining({
        file: 'Other/Relationships/contact.xml',
        element: "EntityRelationship[@Name='ppc_contact_ppc_widget_contactid']/ReferencedEntityName",
      }),
    );
    expect(formatDiagnostic(errors(r.diagnostics)[0]!)).toMatch(
      /Other\/Relationships\/contact\.xml: EntityRelationship.*ppc_nosuchtable/,
    );
  });

  it('catches a form control bound to a column that is not in the solution', async () => {
    const r = buildSolution(await fixtureTree('form-control-missing'), []);
    expect(errors(r.diagnostics)).toEqual([
      expect.objectContaining({
        file: 'Entities/ppc_widget/FormXml/main/{22222222-2222-4222-8222-222222222222}.xml',
        element: "control[@id='ppc_contactid']",
        message: expect.stringContaining('ppc_colour'),
      }),
    ]);
  });

  it('catches a PCF control on a form that is not in the solution', async () => {
    const r = buildSolution(await fixtureTree('pcf-control-missing'), await fixtureControls());
    expect(errors(r.diagnostics)).toEqual([
      expect.objectContaining({
        element: "customControl[@name='ppc_PPC.ColourPicker']",
        message: expect.stringContaining('not in the solution'),
      }),
    ]);
  });

  it('catches malformed XML', async () => {
    const r = buildSolution(await fixtureTree('malformed-xml'), []);
    expect(errors(r.diagnostics)).toContainEqual(
      expect.objectContaining({
        file: 'Entities/ppc_widget/Entity.xml',
        element: '(document)',
        message: expect.stringMatching(/malformed XML: .*line \d+/),
      }),
    );
  });

  it('catches a duplicate schema name', async () => {
    const r = buildSolution(await fixtureTree('duplicate-schema-name'), []);
    expect(errors(r.diagnostics)).toEqual([
      expect.objectContaining({
        file: 'Entities/ppc_widget/Entity.xml',
        element: "attribute[@PhysicalName='ppc_Name']",
        message: expect.stringContaining('duplicate column of ppc_widget schema name "ppc_name"'),
      }),
    ]);
  });

  it('catches a zip entry without a content type', async () => {
    const r = buildSolution(await fixtureTree('missing-content-type'), []);
    expect(errors(r.diagnostics)).toEqual([
      expect.objectContaining({
        file: 'WebResources/ppc_/wasm/widget.wasm',
        element: '[Content_Types].xml/Default',
        message: expect.stringContaining('.wasm'),
      }),
    ]);
  });

  it('rejects a flow definition that does not match Flow.schema.json', async () => {
    const ds = checkFlows(await fixtureTree('invalid-flow'));
    expect(ds).toContainEqual(
      expect.objectContaining({
        file: 'Workflows/Broken-88888888-8888-4888-8888-888888888888.json',
        element: '/properties/definition',
        message: expect.stringContaining("must have required property 'parameters'"),
      }),
    );
    expect(ds).toContainEqual(
      expect.objectContaining({ element: '/schemaVersion', message: expect.stringContaining('must be string') }),
    );
  });
});

describe('validation of the shipped source, one mutation at a time', () => {
  let pristine: Map<string, Uint8Array>;
  beforeAll(async () => {
    pristine = await readTree(SRC_DIR);
  });
  async function mutated(pathPart: string, from: string, to: string) {
    const tree = new Map(pristine);
    const path = [...tree.keys()].find(
      (p) => p.includes(pathPart) && new TextDecoder().decode(tree.get(p)).includes(from),
    )!;
    tree.set(path, new TextEncoder().encode(new TextDecoder().decode(tree.get(path)).replaceAll(from, to)));
    return { tree, path, result: buildSolution(tree, await fixtureControls()) };
  }

  it('a view column that does not exist', async () => {
    const { path, result } = await mutated(
      'ppc_integrationevent/SavedQueries/',
      'name="ppc_lasterror"',
      'name="ppc_lasterrror"',
    );
    expect(errors(result.diagnostics)).toContainEqual(
      expect.objectContaining({ file: path, message: 'column ppc_integrationevent.ppc_lasterrror does not exist' }),
    );
  });

  it('a PCF parameter the control does not declare', async () => {
    const { path, result } = await mutated(
      'Entities/invoice/FormXml/',
      '<boundField type="OptionSet">ppc_paymentstatus</boundField>',
      '<colour type="OptionSet">ppc_paymentstatus</colour>',
    );
    expect(errors(result.diagnostics)).toContainEqual(
      expect.objectContaining({
        file: path,
        message: expect.stringContaining('parameter "colour" is not a property of ppc_PPC.PaymentStatus'),
      }),
    );
    expect(errors(result.diagnostics)).toContainEqual(
      expect.objectContaining({ file: path, message: expect.stringContaining('required bound property "boundField"') }),
    );
  });

  it('a PCF binding whose column type the control does not accept', async () => {
    const { path, result } = await mutated(
      'Entities/invoice/FormXml/',
      '<boundField type="OptionSet">ppc_paymentstatus</boundField>',
      '<boundField type="Lookup.Simple">ppc_paymentstatus</boundField>',
    );
    expect(errors(result.diagnostics)).toContainEqual(
      expect.objectContaining({
        file: path,
        message: expect.stringContaining('type Lookup.Simple is not accepted by ppc_PPC.PaymentStatus.boundField'),
      }),
    );
  });

  it('an app module component that is not in the solution', async () => {
    const { path, result } = await mutated('AppModules/', 'schemaName="ppc_fxrate"', 'schemaName="ppc_fxrates"');
    expect(errors(result.diagnostics)).toContainEqual(
      expect.objectContaining({ file: path, element: "AppModuleComponent[@type='1'][@schemaName='ppc_fxrates']" }),
    );
  });

  it('a webhook step on a column that does not exist', async () => {
    const { path, result } = await mutated(
      'SdkMessageProcessingSteps/',
      '<FilteringAttributes>statuscode</FilteringAttributes>',
      '<FilteringAttributes>statuscode,ppc_nothing</FilteringAttributes>',
    );
    expect(errors(result.diagnostics)).toContainEqual(
      expect.objectContaining({ file: path, element: 'SdkMessageProcessingStep/FilteringAttributes' }),
    );
  });

  it('a ribbon command using an undefined enable rule', async () => {
    const { path, result } = await mutated(
      'ppc_creditmemo/RibbonDiff.xml',
      '<EnableRule Id="ppc.creditmemo.Draft.EnableRule"/>',
      '<EnableRule Id="ppc.creditmemo.Drafty.EnableRule"/>',
    );
    expect(errors(result.diagnostics)).toContainEqual(
      expect.objectContaining({
        file: path,
        element: "CommandDefinition[@Id='ppc.ppc_creditmemo.RequestRefund.Command']/EnableRules",
        message: expect.stringContaining('ppc.creditmemo.Drafty.EnableRule'),
      }),
    );
  });

  it('a role privilege on a table that is not in the solution', async () => {
    const { path, result } = await mutated(
      'Roles/Refund Agent.xml',
      'name="prvAppendToppc_creditmemo"',
      'name="prvAppendToppc_creditnote"',
    );
    expect(errors(result.diagnostics)).toEqual([
      expect.objectContaining({
        file: path,
        element: "RolePrivilege[@name='prvAppendToppc_creditnote']",
        message: expect.stringContaining('"ppc_creditnote"'),
      }),
    ]);
  });

  it('a RootComponent that resolves to nothing', async () => {
    const { result } = await mutated('Other/Solution.xml', 'schemaName="ppc_fxrate"', 'schemaName="ppc_fxrat"');
    expect(errors(result.diagnostics)).toContainEqual(
      expect.objectContaining({
        file: 'Other/Solution.xml',
        element: "RootComponent[@type='1'][@schemaName='ppc_fxrat']",
      }),
    );
  });
});

describe('the shipped flows and web resources', () => {
  it('every flow JSON in solution/src validates against Flow.schema.json', async () => {
    const tree = await readTree(SRC_DIR);
    const flows = [...tree.keys()].filter((p) => p.startsWith('Workflows/') && p.endsWith('.json'));
    expect(flows.length).toBe(3);
    expect(checkFlows(tree)).toEqual([]);
  });

  it('every web resource passes ESLint with browser globals + Xrm', async () => {
    const tree = await readTree(SRC_DIR);
    expect([...tree.keys()].filter((p) => p.startsWith('WebResources/') && p.endsWith('.js')).length).toBe(4);
    expect(await lintWebResources(tree)).toEqual([]);
  }, 30_000);

  it('lint catches a web resource using an undeclared global', async () => {
    const tree = new Map([
      [
        'WebResources/ppc_/js/bad.js',
        new TextEncoder().encode('function f() { "use strict"; return Xrmm.Page; }\nf();\n'),
      ],
    ]);
    expect(await lintWebResources(tree)).toContainEqual(
      expect.objectContaining({
        file: 'WebResources/ppc_/js/bad.js',
        message: expect.stringContaining("'Xrmm' is not defined"),
      }),
    );
  }, 30_000);
});
