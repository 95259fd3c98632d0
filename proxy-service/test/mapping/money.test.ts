import { describe, expect, it } from '@jest/globals';
import { x } from '../../src/mapping/money.ts';
describe('m', () => { it('works', () => { expect(x).toBe(1); }); });
