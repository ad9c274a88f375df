import type { LineExplanation } from './line-explanation';
import type { DomainEvent, Pence } from '../common';
import type { RuleKey } from '../fund/rule-keys';

/** The decision on one accepted proposal of the pot, and why. */
export interface AllocationLine {
  readonly proposalId: string;
  readonly funded: boolean;
  /** The official cost when funded, 0 when not. */
  readonly amount: Pence;
  readonly reason: string;
  /** Why, as data (schema version 2); allocations recorded before have none stored. */
  readonly explanation?: LineExplanation;
  /** Set in the state (never in a recorded event) once a councillor overrode the line. */
  readonly overridden?: true;
}

/** What a rule computed: enough for an auditor to recompute and compare. */
export interface AllocationOutcome {
  readonly rule: RuleKey;
  readonly ruleVersion: string;
  /** Hex SHA-256 of the canonical inputs (pot rules, accepted proposals, counted ballots). */
  readonly inputDigest: string;
  readonly ballotCount: number;
  /** One line per accepted proposal of the pot, funded or not. */
  readonly lines: readonly AllocationLine[];
}

type PotRef = { readonly fundId: string; readonly potId: string };

/** A later recording (before ratification) supersedes an earlier one, e.g. after a ballot is voided. */
export type AllocationRecorded = DomainEvent<
  'AllocationRecorded',
  PotRef & AllocationOutcome & { readonly budget: Pence; readonly totalCost: Pence }
>;
export type AllocationLineOverridden = DomainEvent<
  'AllocationLineOverridden',
  PotRef & { readonly proposalId: string; readonly funded: boolean; readonly amount: Pence; readonly reason: string }
>;
export type AllocationRatified = DomainEvent<'AllocationRatified', PotRef>;
/** Until this event, the allocation is hidden from every public read model. */
export type AllocationPublished = DomainEvent<'AllocationPublished', PotRef>;

export type AllocationEvent = AllocationRecorded | AllocationLineOverridden | AllocationRatified | AllocationPublished;
