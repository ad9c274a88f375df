import { reject } from '@civic/domain';
import type { CommandRuntime } from '../command-handling/command-runtime';

/**
 * The voter pseudonym a resident's reference maps to in a fund: the last part of their ballot
 * streams' names. Every path from a person to their ballots goes through here (their own
 * ballot commands, `myBallot`, paper ballots entered by reference), so it refuses an erased
 * resident with `RESIDENT.ERASED`: after the erasure nothing the platform serves maps the person
 * to their ballots, which still count under the pseudonym alone. Whoever holds the fund's
 * pseudonym key (derived from `KEY_MASTER_SECRET`) can still compute the pseudonym of a
 * reference they know: the link is gone from what the platform serves, not from mathematics.
 */
export async function voterPseudonymFor(runtime: Pick<CommandRuntime, 'pseudonymiser' | 'reader'>, fundId: string, reference: string) {
  const residentId = await runtime.pseudonymiser.pseudonymFor({ kind: 'register' }, reference);
  const resident = await runtime.reader.resident(residentId);
  if (resident.status === 'erased') reject('RESIDENT.ERASED', 'This resident was erased: nothing links them to their ballots any more.');
  return { voter: await runtime.pseudonymiser.pseudonymFor({ kind: 'fund', fundId }, reference), residentId, resident };
}
