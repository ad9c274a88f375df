import { RULES, ruleKeys } from '@civic/allocation';

/** Every rule key with its version and description. */
export function rulesCommand() {
  return { rules: ruleKeys().map((key) => ({ key, version: RULES[key].version, description: RULES[key].description })) };
}
