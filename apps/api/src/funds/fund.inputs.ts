import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { PenceScalar } from '../graphql/pence.scalar';
import { AllocationRuleName, BallotKind, TieBreakKind } from './fund.types';

@InputType()
export class ScheduleInput {
  @Field(() => DateTimeScalar) proposalsOpenAt!: Date;
  @Field(() => DateTimeScalar) reviewStartsAt!: Date;
  @Field(() => DateTimeScalar) votingOpensAt!: Date;
  @Field(() => DateTimeScalar) votingClosesAt!: Date;
}

@InputType()
export class CreateFundInput {
  @Field(() => ID, { nullable: true, description: 'Chosen by the server when absent.' }) fundId?: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field({ defaultValue: 'GBP' }) currency!: string;
  @Field(() => Int, { defaultValue: 16, description: 'Residents younger than this may not vote.' }) minimumAge!: number;
  @Field({ defaultValue: 'Europe/London', description: 'The IANA time zone the fund’s dates are shown in.' }) timeZone!: string;
  @Field(() => ScheduleInput) schedule!: ScheduleInput;
}

@InputType()
export class BallotTypeInput {
  @Field(() => BallotKind) kind!: BallotKind;
  @Field(() => Int, { nullable: true }) minPicks?: number;
  @Field(() => Int, { nullable: true }) maxPicks?: number;
  @Field(() => Int, { nullable: true }) points?: number;
}

@InputType()
export class TieBreakInput {
  @Field(() => TieBreakKind) kind!: TieBreakKind;
  @Field({ nullable: true }) seed?: string;
}

@InputType()
export class PotRulesInput {
  @Field(() => PenceScalar) budget!: number;
  @Field(() => BallotTypeInput) ballot!: BallotTypeInput;
  @Field(() => AllocationRuleName) rule!: AllocationRuleName;
  @Field(() => TieBreakInput, {
    defaultValue: { kind: TieBreakKind.number },
    description:
      'number: lowest proposal number wins a tie (the default); lexico: smallest proposal id; equalshares: lowest cost, most supporters, then a seeded lot.',
  })
  tieBreak!: TieBreakInput;
}

@InputType()
export class AddPotInput extends PotRulesInput {
  @Field(() => ID) fundId!: string;
  @Field(() => ID, { nullable: true, description: 'Chosen by the server when absent.' }) potId?: string;
  @Field() name!: string;
  @Field({ nullable: true, description: 'The ward of a ward pot; absent for the borough-wide pot.' }) ward?: string;
}
