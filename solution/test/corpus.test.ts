// The corpus check (packer/validate/corpus.ts): our unpacked source against the real exports vendored in
// solution/corpus (SOURCES.md), per component type — element/attribute vocabulary, child order, value ranges —
// and proof that it catches the kind of defect the 2018 XSD could not see (the versionnumber MinValue slip).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readTree, type FileTree } from '../packer/source.ts';
import {
  compareToCorpus,
  mergeVocabularies,
  vocabularyOf,
  type ComponentType,
  type Vocabulary,
} from '../packer/validate/corpus.ts';
import { decode, SOLUTION_DIR, SRC_DIR } from './helpers.ts';

const CORPUS_DIR = join(SOLUTION_DIR, 'corpus');
const texts = (tree: FileTree): [string, string][] => [...tree].map(([p, b]) => [p, decode(b)]);

describe('corpus check', () => {
  let corpus: Map<ComponentType, Vocabulary>;
  let src: FileTree;
  beforeAll(async () => {
    const exports = (await readdir(CORPUS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory());
    corpus = mergeVocabularies(
      await Promise.all(exports.map(async (e) => vocabularyOf(texts(await readTree(join(CORPUS_DIR, e.name)))))),
    );
    src = await readTree(SRC_DIR);
  });

  const findings = (tree: FileTree) => compareToCorpus(vocabularyOf(texts(tree)), corpus);
  const mutate = (path: string, edit: (t: string) => string): FileTree => {
    const tree = new Map(src);
    const old = decode(tree.get(path));
    const next = edit(old);
    expect(next).not.toBe(old);
    tree.set(path, new TextEncoder().encode(next));
    return tree;
  };

  it('the corpus covers every component type we ship', () => {
    expect([...corpus.keys()].sort()).toEqual([
      'entity',
      'environmentvariable',
      'form',
      'relationship',
      'role',
      'savedquery',
      'solution',
      'step',
      'webresource',
      'workflow',
    ]);
  });

  it('our source: every element and attribute is in a real export (or explained), in real order, with valid values', () => {
    expect(findings(src)).toEqual([]);
  });

  it('catches a MinValue below the 64-bit range (the BigInt→float slip) and an exponent-notation value', () => {
    const path = 'Entities/ppc_fxrate/Entity.xml';
    const tree = mutate(path, (t) =>
      t.replace('<MinValue>-2147483648</MinValue>', '<MinValue>-9223372036854776000</MinValue>'),
    );
    expect(findings(tree)).toEqual([
      expect.objectContaining({
        type: 'entity',
        kind: 'value',
        detail: expect.stringContaining('-9223372036854776000'),
      }),
    ]);
    const tree2 = mutate('Entities/ppc_creditmemo/Entity.xml', (t) =>
      t.replace('<MinValue>0.0000000001</MinValue>', '<MinValue>1e-10</MinValue>'),
    );
    expect(findings(tree2)).toEqual([
      expect.objectContaining({ kind: 'value', detail: expect.stringContaining('1e-10') }),
    ]);
  });

  it('catches an element no real export has', () => {
    const tree = mutate('Roles/Refund Agent.xml', (t) =>
      t.replace('<RolePrivileges>', '<IsMagic>1</IsMagic>\n  <RolePrivileges>'),
    );
    expect(findings(tree)).toEqual([
      expect.objectContaining({ type: 'role', kind: 'vocabulary', path: 'Role/IsMagic' }),
    ]);
  });

  it('catches elements out of the real order', () => {
    const step = [...src.keys()].find((p) => p.startsWith('SdkMessageProcessingSteps/'))!;
    const tree = mutate(step, (t) => {
      const line = /\s*<SdkMessageId>[^<]*<\/SdkMessageId>/.exec(t)![0];
      return t.replace(line, '').replace(/(<Rank>1<\/Rank>)/, `$1${line}`);
    });
    expect(findings(tree)).toContainEqual(
      expect.objectContaining({
        type: 'step',
        kind: 'order',
        detail: 'Rank before SdkMessageId; real exports have SdkMessageId first',
      }),
    );
  });

  it('catches a value outside the documented set', () => {
    const tree = mutate('Other/Relationships/ppc_reconciliationrun.xml', (t) =>
      t.replace('<CascadeArchive>NoCascade</CascadeArchive>', '<CascadeArchive>Sometimes</CascadeArchive>'),
    );
    expect(findings(tree)).toEqual([expect.objectContaining({ type: 'relationship', kind: 'value' })]);
  });
});
