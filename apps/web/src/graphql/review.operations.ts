import { operation } from './operation';
import type { FundData, ProposalStatus } from './operations';

/** A proposal as the review queue shows it (its number once accepted). */
export interface ReviewProposal {
  id: string;
  potId: string;
  number: number | null;
  title: string;
  summary: string;
  description: string;
  category: string;
  ward: string | null;
  estimatedCost: string;
  officialCost: string | null;
  status: ProposalStatus;
  rejectReason: string | null;
  mergedInto: string | null;
  submittedAt: string;
}

const REVIEW_FIELDS = `id potId number title summary description category ward estimatedCost officialCost status rejectReason mergedInto submittedAt`;
const FUND_FIELDS = `id name description phase minimumAge
  schedule { proposalsOpenAt reviewStartsAt votingOpensAt votingClosesAt }
  pots { id name ward budget rule ballot { kind minPicks maxPicks points } }`;

export const REVIEW_QUEUE = operation<
  { fund: FundData | null; proposals: { totalCount: number; edges: { node: ReviewProposal }[] } },
  { fundId: string; potId: string }
>(
  `query WebReviewQueue($fundId: ID!, $potId: ID!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    proposals(fundId: $fundId, potId: $potId, first: 100, order: number) { totalCount edges { node { ${REVIEW_FIELDS} } } }
  }`,
);

export const REVIEW_PROPOSAL = operation<{ proposal: ReviewProposal | null }, { id: string }>(
  `query WebReviewProposal($id: ID!) { proposal(id: $id) { ${REVIEW_FIELDS} } }`,
);

export const ACCEPT_PROPOSAL = operation<
  { acceptProposal: { proposal: { id: string; number: number | null } } | null },
  { commandId: string; proposalId: string; officialCost: string }
>(
  `mutation WebAcceptProposal($commandId: ID, $proposalId: ID!, $officialCost: Pence!) {
    acceptProposal(commandId: $commandId, proposalId: $proposalId, officialCost: $officialCost) { proposal { id number } }
  }`,
);

export const REJECT_PROPOSAL = operation<
  { rejectProposal: { proposal: { id: string } } | null },
  { commandId: string; proposalId: string; reason: string }
>(
  `mutation WebRejectProposal($commandId: ID, $proposalId: ID!, $reason: String!) {
    rejectProposal(commandId: $commandId, proposalId: $proposalId, reason: $reason) { proposal { id } }
  }`,
);

export const MERGE_PROPOSALS = operation<
  { mergeProposals: { proposal: { id: string } } | null },
  { commandId: string; survivorId: string; duplicateIds: string[] }
>(
  `mutation WebMergeProposals($commandId: ID, $survivorId: ID!, $duplicateIds: [ID!]!) {
    mergeProposals(commandId: $commandId, survivorId: $survivorId, duplicateIds: $duplicateIds) { proposal { id } }
  }`,
);

export interface TallyData {
  potId: string;
  ballots: number;
  paperBallots: number;
  asOfPosition: string;
  lines: { proposalId: string; supporters: number; points: number }[];
}
export interface TurnoutData {
  potId: string;
  ward: string | null;
  ballots: number;
  online: number;
  paper: number;
  assisted: number;
  registered: number;
}

export const TALLY_PAGE = operation<
  {
    fund: FundData | null;
    tally: TallyData;
    turnout: TurnoutData[];
    proposals: { edges: { node: Pick<ReviewProposal, 'id' | 'number' | 'title' | 'officialCost'> }[] };
  },
  { fundId: string; potId: string }
>(
  `query WebTallyPage($fundId: ID!, $potId: ID!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    tally(potId: $potId) { potId ballots paperBallots asOfPosition lines { proposalId supporters points } }
    turnout(fundId: $fundId) { potId ward ballots online paper assisted registered }
    proposals(fundId: $fundId, potId: $potId, status: accepted, first: 100, order: number) { edges { node { id number title officialCost } } }
  }`,
);

export interface PaperBatchRow {
  batchId: string;
  collectedAt: string;
  corrections: number;
  entryCount: number;
  location: string;
  officer: string;
  recorded: number;
  refused: number;
  scanReference: string;
  sheetsCounted: number | null;
}

export const PAPER_BATCHES = operation<{ fund: FundData | null; paperBatches: PaperBatchRow[] }, { fundId: string; potId: string }>(
  `query WebPaperBatches($fundId: ID!, $potId: ID!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    paperBatches(potId: $potId) { batchId collectedAt corrections entryCount location officer recorded refused scanReference sheetsCounted }
  }`,
);
