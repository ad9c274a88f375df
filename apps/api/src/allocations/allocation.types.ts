import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PenceScalar } from '../graphql/pence.scalar';

const EXACT = 'Exact pence: a whole number ("12500") or a fraction ("37500/7").';

@ObjectType({ description: 'Supporters who paid a funded proposal’s share the same way.' })
export class PaymentGroupView {
  @Field(() => Int) voters!: number;
  @Field({ description: 'They paid all the money they had left.' }) allTheyHad!: boolean;
  @Field({ nullable: true, description: `What each paid. ${EXACT}` }) paidEach?: string;
  @Field({ description: `What they paid in all. ${EXACT}` }) total!: string;
}

@ObjectType({ description: 'A funded proposal that shared supporters with this one.' })
export class SupporterOverlapView {
  @Field(() => ID) proposalId!: string;
  @Field({ description: 'That proposal’s title, to name it by (never by id).' }) title!: string;
  @Field(() => Int, { nullable: true, description: 'That proposal’s number.' }) number?: number;
  @Field(() => Int, { description: 'Supporters of this proposal who also backed that one.' }) shared!: number;
}

@ObjectType({ description: 'What the Method of Equal Shares decided about a proposal, and why.' })
export class MesExplanationView {
  @Field({ description: 'funded, unaffordable (its supporters’ money ran short) or no_supporters.' }) outcome!: string;
  @Field(() => Int, {
    nullable: true,
    description: 'funded: the round it was chosen in (0: free); unaffordable: after which round the money fell short.',
  })
  round?: number;
  @Field({ nullable: true, description: 'funded: ρ, the most each supporter paid per unit of satisfaction (exact fraction).' })
  priceFactor?: string;
  @Field(() => [PaymentGroupView], { nullable: true }) payments?: PaymentGroupView[];
  @Field(() => ID, { nullable: true, description: 'unaffordable: the funded proposal whose payment left its supporters short.' })
  exhaustedBy?: string;
  @Field({ nullable: true, description: 'unaffordable: the title of the proposal named by exhaustedBy.' }) exhaustedByTitle?: string;
  @Field(() => Int, { nullable: true, description: 'unaffordable: the number of the proposal named by exhaustedBy.' })
  exhaustedByNumber?: number;
  @Field({ nullable: true, description: `unaffordable: what its supporters had left. ${EXACT}` }) supportersMoney?: string;
  @Field({
    nullable: true,
    description: 'unaffordable: effective support, the share of its cost its supporters could still pay (exact fraction below 1).',
  })
  effectiveSupport?: string;
  @Field(() => [SupporterOverlapView], {
    nullable: true,
    description: 'unaffordable: funded proposals that shared its supporters, most first.',
  })
  overlaps?: SupporterOverlapView[];
}

@ObjectType({ description: 'What the greedy walk (the rule, or the completion after equal shares) decided about a proposal.' })
export class GreedyExplanationView {
  @Field({ description: 'funded or did_not_fit.' }) outcome!: string;
  @Field(() => Int, { description: 'Its place in the order by support per cost (1 = first).' }) rank!: number;
  @Field({ description: `Money left when the walk reached it. ${EXACT}` }) remainingBefore!: string;
}

@ObjectType({ description: 'Why a proposal was or was not funded, as data for pages to put into words in each language.' })
export class LineExplanationView {
  @Field(() => Int, { description: 'Residents whose ballot supported it.' }) supporters!: number;
  @Field(() => MesExplanationView, { nullable: true }) mes?: MesExplanationView;
  @Field(() => GreedyExplanationView, { nullable: true }) greedy?: GreedyExplanationView;
}

@ObjectType({ description: 'The decision on one accepted proposal of a pot, and why.' })
export class AllocationLineView {
  @Field(() => ID) proposalId!: string;
  @Field({ description: 'The proposal’s title.' }) title!: string;
  @Field(() => Int, { nullable: true, description: 'The proposal’s number (null for one never numbered).' }) number?: number;
  @Field() funded!: boolean;
  @Field(() => PenceScalar) amount!: number;
  @Field({ description: 'The amount in pounds as written in English, e.g. "£25,000.00".' }) amountInPounds!: string;
  @Field({ description: 'True when a councillor overrode the rule’s decision on this line (reason then says why).' })
  overridden!: boolean;
  @Field({ description: 'One sentence in English, as the rule wrote it; pages use explanation instead.' }) reason!: string;
  @Field(() => LineExplanationView, {
    nullable: true,
    description:
      'Why, as data: recorded with the allocation, or for allocations recorded before, recomputed from their recorded inputs (null when those no longer match).',
  })
  explanation?: LineExplanationView;
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
