import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/date-time.scalar';
import { PenceScalar } from '../graphql/pence.scalar';

export enum ProposalStatus {
  submitted = 'submitted',
  withdrawn = 'withdrawn',
  accepted = 'accepted',
  rejected = 'rejected',
  merged = 'merged',
}
registerEnumType(ProposalStatus, { name: 'ProposalStatus' });

export enum ProposalOrder {
  submitted = 'submitted',
  number = 'number',
  random = 'random',
}
registerEnumType(ProposalOrder, { name: 'ProposalOrder', description: 'The order of a page of proposals.' });

@ObjectType()
export class Location {
  @Field() description!: string;
  @Field(() => Float, { nullable: true }) latitude?: number;
  @Field(() => Float, { nullable: true }) longitude?: number;
}

@ObjectType({ description: 'One event in a proposal’s history: who (by role), what and when.' })
export class ProposalHistoryEntry {
  @Field() type!: string;
  @Field() actorRole!: string;
  @Field(() => DateTimeScalar) time!: Date;
  @Field({ description: 'Global position. Opaque.' }) position!: string;
  @Field(() => Int) revision!: number;
}

@ObjectType({ description: 'A project proposed by a resident.' })
export class Proposal {
  @Field(() => ID) id!: string;
  @Field(() => ID) fundId!: string;
  @Field(() => ID) potId!: string;
  @Field({ nullable: true, description: 'The ward of the proposal’s pot; null for the borough-wide pot.' }) ward?: string;
  @Field() title!: string;
  @Field() summary!: string;
  @Field() description!: string;
  @Field() category!: string;
  @Field(() => PenceScalar, { description: 'The author’s estimate.' }) estimatedCost!: number;
  @Field(() => PenceScalar, { nullable: true, description: 'The council’s official estimate, set when accepted.' }) officialCost?: number;
  @Field(() => Int, {
    nullable: true,
    description: 'The proposal’s public number in its fund (the number a paper ballot uses), given when it is accepted; null before.',
  })
  number?: number;
  @Field(() => Location, { nullable: true }) location?: Location;
  @Field(() => ProposalStatus) status!: ProposalStatus;
  @Field({ nullable: true }) rejectReason?: string;
  @Field(() => ID, { nullable: true, description: 'For a merged duplicate: the proposal that carries it on.' }) mergedInto?: string;
  @Field(() => DateTimeScalar) submittedAt!: Date;
  @Field(() => Int, { description: 'Pass as expectedRevision to edit what you read.' }) revision!: number;
  @Field() position!: string;
  /** Internal: the author's register pseudonym, never exposed; `mine` is derived from it. */
  authorId!: string;
}

@ObjectType()
export class ProposalEdge {
  @Field() cursor!: string;
  @Field(() => Proposal) node!: Proposal;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field({ nullable: true }) endCursor?: string;
}

@ObjectType({ description: 'A page of proposals, in order of submission.' })
export class ProposalConnection {
  @Field(() => [ProposalEdge]) edges!: ProposalEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'How many proposals match the filters.' }) totalCount!: number;
}

@ObjectType()
export class ProposalPayload {
  @Field(() => Proposal) proposal!: Proposal;
  @Field({ nullable: true }) position?: string;
}
