import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { PHASES } from '@civic/domain';
import { PenceScalar } from '../graphql/pence.scalar';

export enum FundPhase {
  draft = 'draft',
  proposals_open = 'proposals_open',
  review = 'review',
  voting_open = 'voting_open',
  voting_closed = 'voting_closed',
  results_published = 'results_published',
  delivery = 'delivery',
  closed = 'closed',
}
registerEnumType(FundPhase, { name: 'FundPhase', description: 'Where a fund is in its life: draft → … → closed.' });
// The enum above must list the domain's phases exactly.
const _phasesMatch: Record<(typeof PHASES)[number], FundPhase> = FundPhase;
void _phasesMatch;

export enum AllocationRuleName {
  greedy_by_votes = 'greedy_by_votes',
  equal_shares_with_completion = 'equal_shares_with_completion',
}
registerEnumType(AllocationRuleName, { name: 'AllocationRule', description: 'How ballots become an allocation.' });

export enum BallotKind {
  approval = 'approval',
  knapsack = 'knapsack',
  cumulative = 'cumulative',
}
registerEnumType(BallotKind, { name: 'BallotKind' });

export enum TieBreakKind {
  /** The proposals' public numbers, lowest first: the default for new pots. */
  number = 'number',
  lexico = 'lexico',
  equalshares = 'equalshares',
}
registerEnumType(TieBreakKind, { name: 'TieBreakKind' });

@ObjectType({ description: 'When each phase may start.' })
export class Schedule {
  @Field(() => DateTimeScalar) proposalsOpenAt!: Date;
  @Field(() => DateTimeScalar) reviewStartsAt!: Date;
  @Field(() => DateTimeScalar) votingOpensAt!: Date;
  @Field(() => DateTimeScalar) votingClosesAt!: Date;
}

@ObjectType({ description: 'How residents fill in a ballot for a pot.' })
export class BallotType {
  @Field(() => BallotKind) kind!: BallotKind;
  @Field(() => Int, { nullable: true, description: 'approval: fewest picks' }) minPicks?: number;
  @Field(() => Int, { nullable: true, description: 'approval: most picks' }) maxPicks?: number;
  @Field(() => Int, { nullable: true, description: 'cumulative: points to spread' }) points?: number;
}

@ObjectType()
export class TieBreak {
  @Field(() => TieBreakKind) kind!: TieBreakKind;
  @Field({ nullable: true, description: 'equalshares: the seed of the lot, fixed before voting' }) seed?: string;
}

@ObjectType({ description: 'A pot of a fund: borough-wide, or for one ward.' })
export class Pot {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ nullable: true, description: 'The ward, for a ward pot; null for the borough-wide pot.' }) ward?: string;
  @Field(() => PenceScalar) budget!: number;
  @Field(() => BallotType) ballot!: BallotType;
  @Field(() => AllocationRuleName) rule!: AllocationRuleName;
  @Field(() => TieBreak) tieBreak!: TieBreak;
}

@ObjectType({ description: 'An extension or early close of voting, with the administrator’s reason: public, in order.' })
export class VotingChange {
  @Field({ description: 'extended or closed_early.' }) kind!: string;
  @Field() reason!: string;
  @Field(() => DateTimeScalar) time!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'extended: the close before.' }) previousClosesAt?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'extended: the new close.' }) votingClosesAt?: Date;
  @Field({ description: 'The global position of the event. Opaque.' }) position!: string;
}

@ObjectType({ description: 'A participatory budgeting fund.' })
export class Fund {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field({ description: 'ISO 4217; every amount is in its minor unit.' }) currency!: string;
  @Field(() => FundPhase) phase!: FundPhase;
  @Field(() => Int) minimumAge!: number;
  @Field({ description: 'The IANA time zone the fund’s dates are shown in, e.g. Europe/London.' }) timeZone!: string;
  @Field(() => Schedule) schedule!: Schedule;
  @Field(() => [Pot]) pots!: Pot[];
  @Field(() => [VotingChange], { description: 'Every extension and early close of voting, with its reason.' })
  votingChanges!: VotingChange[];
  @Field({ description: 'The global position of the last event that changed it. Opaque.' }) position!: string;
  @Field(() => Int, { description: 'The revision of its stream: pass it as expectedRevision to edit what you read.' }) revision!: number;
}

@ObjectType({ description: 'What a fund command did.' })
export class FundPayload {
  @Field(() => Fund) fund!: Fund;
  @Field({
    nullable: true,
    description: 'The global position of the events written (on a retry, by the first call); null when nothing was written.',
  })
  position?: string;
}
