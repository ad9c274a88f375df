import { operation } from './operation';

/** A proposal of the pot as a paper form prints it: its number and title. */
export interface NumberedProposal {
  id: string;
  number: number | null;
  title: string;
}

export const PAPER_PROPOSALS = operation<{ proposals: { edges: { node: NumberedProposal }[] } }, { fundId: string; potId: string }>(
  `query WebPaperProposals($fundId: ID!, $potId: ID!) {
    proposals(fundId: $fundId, potId: $potId, status: accepted, first: 100, order: number) { edges { node { id number title } } }
  }`,
);

/** One form as typed: the voter's reference and the numbers (or number=points) on it. */
export interface PaperEntryVars {
  reference: string;
  numbers?: number[];
  numberedPoints?: { number: number; points: number }[];
}

/** A batch's header: where, when and by whom its forms were collected, and how many were counted. */
interface PaperBatchHeader {
  fundId: string;
  potId: string;
  officer: string;
  location: string;
  collectedAt: string;
  scanReference: string;
}

export const ENTER_PAPER_BATCH = operation<
  { enterPaperBatch: { batchId: string; entries: { entryNo: number; recorded: boolean; code: string | null }[] } | null },
  {
    commandId: string;
    input: PaperBatchHeader & { sheetsCounted: number; entries: PaperEntryVars[] };
  }
>(
  `mutation WebEnterPaperBatch($commandId: ID, $input: PaperBatchInput!) {
    enterPaperBatch(commandId: $commandId, input: $input) { batchId entries { entryNo recorded code } }
  }`,
);

export interface PaperEntryStanding {
  entryNo: number;
  status: 'recorded' | 'refused' | 'corrected';
  code: string | null;
  message: string | null;
  correctionReason: string | null;
}

export interface PaperBatchData extends PaperBatchHeader {
  batchId: string;
  sheetsCounted: number | null;
  entryCount: number;
  corrections: number;
  revision: number;
  entries: PaperEntryStanding[];
}

export const PAPER_BATCH = operation<{ paperBatch: PaperBatchData | null }, { batchId: string }>(
  `query WebPaperBatch($batchId: ID!) {
    paperBatch(batchId: $batchId) {
      batchId fundId potId officer location collectedAt scanReference sheetsCounted entryCount corrections revision
      entries { entryNo status code message correctionReason }
    }
  }`,
);

/** What every correction of a batch names: the command, the batch and why. */
interface CorrectionVars {
  commandId: string;
  batchId: string;
  reason: string;
}

export const CORRECT_PAPER_BATCH = operation<
  { correctPaperBatch: { position: string | null } | null },
  CorrectionVars & {
    expectedRevision: number;
    corrections: { officer?: string; location?: string; collectedAt?: string; scanReference?: string; sheetsCounted?: number };
  }
>(
  `mutation WebCorrectPaperBatch($commandId: ID, $batchId: ID!, $expectedRevision: Int, $reason: String!, $corrections: PaperBatchCorrectionInput!) {
    correctPaperBatch(commandId: $commandId, batchId: $batchId, expectedRevision: $expectedRevision, reason: $reason, corrections: $corrections) { position }
  }`,
);

export const CORRECT_PAPER_BALLOT = operation<
  { correctPaperBallot: { position: string | null } | null },
  CorrectionVars & {
    entryNo: number;
    reference: string;
    content: { proposalIds?: string[]; points?: { proposalId: string; points: number }[] };
  }
>(
  `mutation WebCorrectPaperBallot($commandId: ID, $batchId: ID!, $entryNo: Int!, $reference: String!, $reason: String!, $content: BallotContentInput!) {
    correctPaperBallot(commandId: $commandId, batchId: $batchId, entryNo: $entryNo, reference: $reference, reason: $reason, content: $content) { position }
  }`,
);

export interface BallotLookupData {
  fundId: string;
  potId: string;
  eventType: string;
  recordedAt: string;
  standing: string;
  reason: string | null;
}

export const BALLOT_BY_RECEIPT = operation<{ ballotByReceipt: BallotLookupData | null }, { receipt: string }>(
  `query WebBallotByReceipt($receipt: String!) { ballotByReceipt(receipt: $receipt) { fundId potId eventType recordedAt standing reason } }`,
);

export const VOID_BALLOT = operation<
  { voidBallot: { position: string | null } | null },
  { commandId: string; fundId: string; potId: string; reason: string; receipt?: string; reference?: string }
>(
  `mutation WebVoidBallot($commandId: ID, $fundId: ID!, $potId: ID!, $reason: String!, $receipt: String, $reference: String) {
    voidBallot(commandId: $commandId, fundId: $fundId, potId: $potId, reason: $reason, receipt: $receipt, reference: $reference) { position }
  }`,
);
