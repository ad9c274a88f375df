import { operation } from './operation';
import type {
  WebAcceptProposalMutation,
  WebAcceptProposalMutationVariables,
  WebMergeProposalsMutation,
  WebMergeProposalsMutationVariables,
  WebPaperBatchesQuery,
  WebPaperBatchesQueryVariables,
  WebRejectProposalMutation,
  WebRejectProposalMutationVariables,
  WebReviewProposalQuery,
  WebReviewProposalQueryVariables,
  WebReviewQueueQuery,
  WebReviewQueueQueryVariables,
  WebTallyPageQuery,
  WebTallyPageQueryVariables,
} from './generated';
import { FUND_FIELDS } from './operations';

/** A proposal as the review queue shows it (its number once accepted). */
export type ReviewProposal = NonNullable<WebReviewProposalQuery['proposal']>;

const REVIEW_FIELDS = `id potId number title summary description category ward estimatedCost officialCost status rejectReason mergedInto submittedAt`;

export const REVIEW_QUEUE = operation<WebReviewQueueQuery, WebReviewQueueQueryVariables>(
  `query WebReviewQueue($fundId: ID!, $potId: ID!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    proposals(fundId: $fundId, potId: $potId, first: 100, order: number) { totalCount edges { node { ${REVIEW_FIELDS} } } }
  }`,
);

export const REVIEW_PROPOSAL = operation<WebReviewProposalQuery, WebReviewProposalQueryVariables>(
  `query WebReviewProposal($id: ID!) { proposal(id: $id) { ${REVIEW_FIELDS} } }`,
);

export const ACCEPT_PROPOSAL = operation<WebAcceptProposalMutation, WebAcceptProposalMutationVariables>(
  `mutation WebAcceptProposal($commandId: ID, $proposalId: ID!, $officialCost: Pence!) {
    acceptProposal(commandId: $commandId, proposalId: $proposalId, officialCost: $officialCost) { proposal { id number } }
  }`,
);

export const REJECT_PROPOSAL = operation<WebRejectProposalMutation, WebRejectProposalMutationVariables>(
  `mutation WebRejectProposal($commandId: ID, $proposalId: ID!, $reason: String!) {
    rejectProposal(commandId: $commandId, proposalId: $proposalId, reason: $reason) { proposal { id } }
  }`,
);

export const MERGE_PROPOSALS = operation<WebMergeProposalsMutation, WebMergeProposalsMutationVariables>(
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

export const TALLY_PAGE = operation<WebTallyPageQuery, WebTallyPageQueryVariables>(
  `query WebTallyPage($fundId: ID!, $potId: ID!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    tally(potId: $potId) { potId ballots paperBallots asOfPosition lines { proposalId supporters points } }
    turnout(fundId: $fundId) { potId ward ballots online paper assisted registered }
    proposals(fundId: $fundId, potId: $potId, status: accepted, first: 100, order: number) { edges { node { id number title officialCost } } }
  }`,
);

export const PAPER_BATCHES = operation<WebPaperBatchesQuery, WebPaperBatchesQueryVariables>(
  `query WebPaperBatches($fundId: ID!, $potId: ID!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    paperBatches(potId: $potId) { batchId collectedAt corrections entryCount location officer recorded refused scanReference sheetsCounted }
  }`,
);
