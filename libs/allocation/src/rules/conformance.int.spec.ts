import { describeConformance } from '../../test/conformance';
import { FILES } from '../../test/fixtures';

// Every development-set file × every rule key of expected.json (pabutools 1.2.3). The iterated
// MES rules on Warsaw 2026 take longest; they run in their own file so jest can run both in parallel.
const SLOW_FILE = 'Poland_Warszawa_2026.pb';
const slow = (rule: string) => rule.includes('_add1') || rule.includes('_budgetinc');

describe('conformance with the reference (expected.json)', () => {
  for (const file of FILES) describeConformance(file, (rule) => file !== SLOW_FILE || !slow(rule));
});
