import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@InputType()
export class PointsInput {
  @Field(() => ID) proposalId!: string;
  @Field(() => Int) points!: number;
}

@InputType({ description: 'What the voter marks: proposalIds for approval and knapsack pots, points for cumulative ones.' })
export class BallotContentInput {
  @Field(() => [ID], { nullable: true }) proposalIds?: string[];
  @Field(() => [PointsInput], { nullable: true }) points?: PointsInput[];
}

@ObjectType()
export class Points {
  @Field(() => ID) proposalId!: string;
  @Field(() => Int) points!: number;
}

@ObjectType({
  description:
    'Where a ballot stands in the history: keep it to check the ballot against the published record (query receipt, no sign-in). It names neither the voter nor their pseudonym.',
})
export class BallotReceipt {
  @Field({ nullable: true, description: 'Global position of the event written. Opaque.' }) position?: string;
  @Field({ nullable: true, description: 'The event’s hash in the tamper-evident chain, when the history is chained.' }) hash?: string;
}

@ObjectType({ description: 'The caller’s own ballot in a pot.' })
export class MyBallot {
  @Field() status!: string;
  @Field() kind!: string;
  @Field(() => [ID], { nullable: true }) proposalIds?: string[];
  @Field(() => [Points], { nullable: true }) points?: Points[];
  @Field(() => BallotReceipt) receipt!: BallotReceipt;
}

@ObjectType()
export class TallyLine {
  @Field(() => ID) proposalId!: string;
  @Field(() => Int, { description: 'Ballots that name it.' }) supporters!: number;
  @Field(() => Int, { description: 'Points given to it (cumulative pots).' }) points!: number;
}

@ObjectType({ description: 'A pot’s live tally: aggregates only.' })
export class Tally {
  @Field(() => ID) potId!: string;
  @Field(() => Int) ballots!: number;
  @Field(() => Int, { description: 'Of which entered from paper.' }) paperBallots!: number;
  @Field(() => Int, { description: 'Of which cast with an officer’s help at a kiosk (a library, a community centre).' })
  assistedBallots!: number;
  @Field(() => Int, { description: 'Of which cast online: the ballots neither from paper nor assisted.' }) onlineBallots!: number;
  @Field(() => [TallyLine]) lines!: TallyLine[];
  @Field({ description: 'The read model’s position in the global order when this was read. Opaque.' }) asOfPosition!: string;
}
