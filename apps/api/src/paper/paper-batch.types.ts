import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { BallotContentInput } from '../ballots/ballot.types';
import { DateTimeScalar } from '../graphql/date-time.scalar';

export const MAX_PAPER_ENTRIES = 500;
/** Marks on one paper form: far more than any pot has proposals. */
export const MAX_PICKS_PER_ENTRY = 200;

@InputType({ description: 'A number printed on a cumulative pot’s paper form, with the points written beside it.' })
export class NumberedPointsInput {
  @Field(() => Int) number!: number;
  @Field(() => Int) points!: number;
}

@InputType({
  description:
    'One paper ballot as typed from its form: its marks as content (proposal ids), or by the proposal numbers printed on the form (numbers, or numberedPoints for a cumulative pot). Exactly one of the three. A number no accepted proposal of the pot has refuses the entry (BALLOT.UNKNOWN_NUMBER), not the batch.',
})
export class PaperEntryInput {
  @Field({ description: 'The voter’s reference, as written on the form.' }) reference!: string;
  @Field(() => BallotContentInput, { nullable: true }) content?: BallotContentInput;
  @Field(() => [Int], { nullable: true, description: 'The numbers ticked (approval and knapsack pots).' }) numbers?: number[];
  @Field(() => [NumberedPointsInput], { nullable: true, description: 'Each number with its points (cumulative pots).' })
  numberedPoints?: NumberedPointsInput[];
}

@InputType({ description: 'A batch of paper ballots collected at a library, community centre or event.' })
export class PaperBatchInput {
  @Field(() => ID, { nullable: true, description: 'Chosen by the server when absent.' }) batchId?: string;
  @Field(() => ID) fundId!: string;
  @Field(() => ID) potId!: string;
  @Field({ description: 'The officer who collected the ballots.' }) officer!: string;
  @Field() location!: string;
  @Field(() => DateTimeScalar) collectedAt!: Date;
  @Field({ description: 'Where the scanned forms are kept.' }) scanReference!: string;
  @Field(() => Int, { nullable: true, description: 'How many forms the officer counted in the batch, for the reconciliation.' })
  sheetsCounted?: number;
  @Field(() => [PaperEntryInput]) entries!: PaperEntryInput[];
}

@InputType({ description: 'Only the fields of the batch’s header to correct.' })
export class PaperBatchCorrectionInput {
  @Field({ nullable: true }) officer?: string;
  @Field({ nullable: true }) location?: string;
  @Field(() => DateTimeScalar, { nullable: true }) collectedAt?: Date;
  @Field({ nullable: true }) scanReference?: string;
  @Field(() => Int, { nullable: true }) sheetsCounted?: number;
}

@ObjectType({ description: 'What became of one entry of a paper batch. Never the voter, never the marks.' })
export class PaperEntryStanding {
  @Field(() => Int) entryNo!: number;
  @Field({ description: 'recorded, refused (see code and message) or corrected (see correctionReason).' }) status!: string;
  @Field(() => String, { nullable: true, description: 'Why the voting rules refused it: the code an online ballot would get.' })
  code?: string | null;
  @Field(() => String, { nullable: true }) message?: string | null;
  @Field(() => String, { nullable: true }) correctionReason?: string | null;
}

@ObjectType({ description: 'A batch of paper ballots as recorded, with its corrections applied.' })
export class PaperBatch {
  @Field(() => ID) batchId!: string;
  @Field(() => ID) fundId!: string;
  @Field(() => ID) potId!: string;
  @Field() officer!: string;
  @Field() location!: string;
  @Field(() => DateTimeScalar) collectedAt!: Date;
  @Field() scanReference!: string;
  @Field(() => Int, { nullable: true, description: 'How many forms the officer counted; null on batches recorded without.' })
  sheetsCounted?: number;
  @Field(() => Int, { description: 'How many forms the batch holds.' }) entryCount!: number;
  @Field(() => Int, { description: 'How many corrections were made to its header.' }) corrections!: number;
  @Field(() => [PaperEntryStanding], { description: 'What became of each entry: recorded, refused with its reason, or corrected.' })
  entries!: PaperEntryStanding[];
  @Field(() => Int, { description: 'The revision of its stream: pass it as expectedRevision to correct what you read.' }) revision!: number;
  @Field({ description: 'The global position of the last event that changed it. Opaque.' }) position!: string;
}

@ObjectType({ description: 'A paper batch of a pot and its reconciliation: forms entered, ballots recorded, forms refused.' })
export class PaperBatchSummary {
  @Field(() => ID) batchId!: string;
  @Field() officer!: string;
  @Field() location!: string;
  @Field(() => DateTimeScalar) collectedAt!: Date;
  @Field() scanReference!: string;
  @Field(() => Int, { nullable: true, description: 'Forms the officer counted in the batch; null on batches recorded without.' })
  sheetsCounted?: number;
  @Field(() => Int, { description: 'Forms entered from the batch.' }) entryCount!: number;
  @Field(() => Int, { description: 'Ballots recorded from its forms.' }) recorded!: number;
  @Field(() => Int, { description: 'Forms the voting rules refused (entered minus recorded).' }) refused!: number;
  @Field(() => Int) corrections!: number;
}

@ObjectType({ description: 'What a paper batch correction did.' })
export class PaperBatchPayload {
  @Field(() => PaperBatch) batch!: PaperBatch;
  @Field({
    nullable: true,
    description: 'The global position of the event written (on a retry, by the first call); null when nothing was written.',
  })
  position?: string;
}

@ObjectType()
export class PaperEntryOutcome {
  @Field(() => Int) entryNo!: number;
  @Field() recorded!: boolean;
  @Field({ nullable: true }) code?: string;
  @Field({ nullable: true }) message?: string;
}

@ObjectType({ description: 'The batch, and what became of each entry: recorded, or refused with the code an online ballot would get.' })
export class PaperBatchResult {
  @Field(() => ID) batchId!: string;
  @Field(() => [PaperEntryOutcome]) entries!: PaperEntryOutcome[];
  @Field({
    nullable: true,
    description: 'The global position of the last event written (on a retry, by the first call); null when nothing was written.',
  })
  position?: string;
}
