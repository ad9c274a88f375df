import type { Actor, Instant } from '../common';
import type { Pot } from '../fund/pot';
import { actors, boroughPot, command, FUND_ID, pointsPot, schedule, sealedFor, T, wardPot } from './fixtures';
import { World, type AnyCommand, type Outcome } from './world';

/** Residents of the test borough: voter pseudonym, resident id, ward, date of birth, verified. */
export const RESIDENTS = [
  { voter: 'v1', residentId: 'r1', ward: 'spitalfields', dateOfBirth: '1980-01-01', verified: true },
  { voter: 'v2', residentId: 'r2', ward: 'spitalfields', dateOfBirth: '2001-06-30', verified: true },
  { voter: 'v3', residentId: 'r3', ward: 'bow-east', dateOfBirth: '1975-03-12', verified: true },
  { voter: 'v4', residentId: 'r4', ward: 'bow-east', dateOfBirth: '2014-01-01', verified: true },
  { voter: 'v5', residentId: 'r5', ward: 'spitalfields', dateOfBirth: '1990-09-09', verified: false },
] as const;

/** Voter pseudonym → resident id, as the key port would map them. */
export const VOTERS: ReadonlyMap<string, string> = new Map(RESIDENTS.map((r) => [r.voter, r.residentId]));
/** Resident id → date of birth, as the vault would open them from the sealed personal data. */
export const DATES_OF_BIRTH: ReadonlyMap<string, string> = new Map(RESIDENTS.map((r) => [r.residentId, r.dateOfBirth]));

export const POTS: readonly Pot[] = [boroughPot, wardPot, pointsPot];

/** A world with the fund created (three pots, in draft) and the register imported, and a clock. */
export class Scenario {
  readonly world = new World(VOTERS, DATES_OF_BIRTH);
  now: Instant = T.created;
  /** The commands that took effect, for retries. */
  readonly effective: AnyCommand[] = [];

  constructor() {
    this.run(
      'CreateFund',
      { fundId: FUND_ID, name: 'You Decide! 2026', description: 'Regeneration fund', currency: 'GBP', schedule, minimumAge: 16 },
      actors.admin,
    );
    for (const pot of POTS) this.run('AddPot', { fundId: FUND_ID, pot }, actors.admin);
    for (const r of RESIDENTS) {
      const personal = sealedFor(r.residentId);
      if (r.verified) this.run('ImportResident', { residentId: r.residentId, ward: r.ward, personal }, actors.admin);
      else this.run('RegisterResident', { residentId: r.residentId, ward: r.ward, personal }, actors.resident(r.voter));
    }
  }

  /** Sends a command at the scenario's current time. */
  run<C extends AnyCommand>(type: C['type'], payload: C['payload'], actor: Actor): Outcome {
    const cmd = command<C>(type, payload, actor, this.now);
    const outcome = this.world.execute(cmd);
    if (outcome.ok && outcome.events.length > 0) this.effective.push(cmd);
    return outcome;
  }

  /** Sends a command that took effect again, same id: a retry, which must change nothing. */
  retry(index: number): Outcome {
    return this.world.execute(this.effective[index % this.effective.length]);
  }
}
