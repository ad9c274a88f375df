import { describeConformance } from '../../test/conformance';

// The iterated MES rules on the largest file (61,668 voters; add1 makes 279 MES runs), in their
// own file so jest runs them beside the rest of the conformance suite.
describe('conformance with the reference on Warsaw 2026 (iterated MES)', () => {
  describeConformance('Poland_Warszawa_2026.pb', (rule) => rule.includes('_add1') || rule.includes('_budgetinc'), 180_000);
});
