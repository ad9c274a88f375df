import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PenceScalar } from '../graphql/pence.scalar';

@ObjectType({ description: 'The decision on one accepted proposal of a pot, and why.' })
export class AllocationLineView {
  @Field(() => ID) proposalId!: string;
  @Field() funded!: boolean;
  @Field(() => PenceScalar) amount!: number;
  @Field() reason!: string;
}

@ObjectType({ description: 'A pot’s allocation: the rule, its version, a digest of its inputs, and every line.' })
export class AllocationView {
  @Field(() => ID) potId!: string;
  @Field({ description: 'recorded, ratified or published; hidden (to the public) until published.' }) status!: string;
  @Field({ nullable: true }) rule?: string;
  @Field({ nullable: true }) ruleVersion?: string;
  @Field({ nullable: true, description: 'SHA-256 of the canonical inputs, for an auditor to recompute.' }) inputDigest?: string;
  @Field(() => Int, { nullable: true }) ballotCount?: number;
  @Field(() => PenceScalar, { nullable: true }) budget?: number;
  @Field(() => PenceScalar, { nullable: true }) totalCost?: number;
  @Field(() => [AllocationLineView]) lines!: AllocationLineView[];
}
