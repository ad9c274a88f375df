import { operation } from './operation';
import type {
  WebCouncilComputeMutation,
  WebCouncilComputeMutationVariables,
  WebCouncilDraftQuery,
  WebCouncilDraftQueryVariables,
  WebCouncilOverrideMutation,
  WebCouncilOverrideMutationVariables,
  WebCouncilPublishMutation,
  WebCouncilPublishMutationVariables,
  WebCouncilRatifyMutation,
  WebCouncilRatifyMutationVariables,
  WebFundDeliveryQuery,
  WebFundDeliveryQueryVariables,
  WebProjectDeliveryQuery,
  WebProjectDeliveryQueryVariables,
  WebReportMilestoneMutation,
  WebReportMilestoneMutationVariables,
  WebReportSpendMutation,
  WebReportSpendMutationVariables,
  WebVoidedBallotsQuery,
  WebVoidedBallotsQueryVariables,
} from './generated';

/** A line of an allocation as the councillors' pages read it (title, number, pounds, override flag, why as data). */
export type CouncilLine = WebCouncilDraftQuery['draftAllocation']['lines'][number];

const ALLOCATION_FIELDS = `potId status rule budget totalCost ballotCount
  lines { proposalId title number funded amount overridden reason
    explanation { supporters greedy { outcome rank remainingBefore }
      mes { outcome round supportersMoney exhaustedByTitle exhaustedByNumber overlaps { title number shared } } } }`;

export const COUNCIL_DRAFT = operation<WebCouncilDraftQuery, WebCouncilDraftQueryVariables>(
  `query WebCouncilDraft($potId: ID!) { draftAllocation(potId: $potId) { ${ALLOCATION_FIELDS} } }`,
);

type PotStep = { commandId: string; fundId: string; potId: string };

export const COUNCIL_COMPUTE = operation<WebCouncilComputeMutation, WebCouncilComputeMutationVariables>(
  `mutation WebCouncilCompute($commandId: ID, $fundId: ID!, $potId: ID!) {
    computeAllocation(commandId: $commandId, fundId: $fundId, potId: $potId) { status } }`,
);
export const COUNCIL_OVERRIDE = operation<WebCouncilOverrideMutation, WebCouncilOverrideMutationVariables>(
  `mutation WebCouncilOverride($commandId: ID, $fundId: ID!, $potId: ID!, $proposalId: ID!, $funded: Boolean!, $reason: String!) {
    overrideAllocationLine(commandId: $commandId, fundId: $fundId, potId: $potId, proposalId: $proposalId, funded: $funded, reason: $reason) { status } }`,
);
export const COUNCIL_RATIFY = operation<WebCouncilRatifyMutation, WebCouncilRatifyMutationVariables>(
  `mutation WebCouncilRatify($commandId: ID, $fundId: ID!, $potId: ID!) {
    ratifyAllocation(commandId: $commandId, fundId: $fundId, potId: $potId) { status } }`,
);
export const COUNCIL_PUBLISH = operation<WebCouncilPublishMutation, WebCouncilPublishMutationVariables>(
  `mutation WebCouncilPublish($commandId: ID, $fundId: ID!, $potId: ID!) {
    publishAllocation(commandId: $commandId, fundId: $fundId, potId: $potId) { status } }`,
);

/** The public, anonymous log of a pot's voided ballots. */
export const VOIDED_BALLOTS = operation<WebVoidedBallotsQuery, WebVoidedBallotsQueryVariables>(
  `query WebVoidedBallots($potId: ID!) { voidedBallots(potId: $potId) { potId count ballots { position reason voidedAt } } }`,
);

/** A funded project as the fund-wide overview reads it (milestones by status only: the API's cost limit counts every field). */
export interface FundedDelivery {
  proposalId: string;
  potId: string;
  title: string;
  number: number | null;
  officialCost: string;
  totalSpent: string;
  overspent: boolean;
  milestones: { status: string }[];
}

export const FUND_DELIVERY = operation<WebFundDeliveryQuery, WebFundDeliveryQueryVariables>(
  `query WebFundDelivery($fundId: ID!) { fundDelivery(fundId: $fundId) { proposalId potId title number officialCost totalSpent overspent milestones { status } } }`,
);

/** One project's delivery in full: every milestone and every spend item. */
export interface ProjectDelivery {
  totalSpent: string;
  milestones: { milestoneId: string; title: string; status: string; note: string }[];
  spends: { spendId: string; amount: string; description: string; spentOn: string; overspendReason: string | null }[];
}

export const PROJECT_DELIVERY = operation<WebProjectDeliveryQuery, WebProjectDeliveryQueryVariables>(
  `query WebProjectDelivery($proposalId: ID!) { delivery(proposalId: $proposalId) { totalSpent
    milestones { milestoneId title status note } spends { spendId amount description spentOn overspendReason } } }`,
);

export const REPORT_SPEND = operation<WebReportSpendMutation, WebReportSpendMutationVariables>(
  `mutation WebReportSpend($commandId: ID, $fundId: ID!, $proposalId: ID!, $amount: Pence!, $description: String!, $spentOn: String!, $overspendReason: String) {
    reportSpend(commandId: $commandId, fundId: $fundId, proposalId: $proposalId, amount: $amount, description: $description, spentOn: $spentOn, overspendReason: $overspendReason) { totalSpent } }`,
);

export const REPORT_MILESTONE = operation<WebReportMilestoneMutation, WebReportMilestoneMutationVariables>(
  `mutation WebReportMilestone($commandId: ID, $fundId: ID!, $proposalId: ID!, $milestoneId: ID, $title: String!, $status: String!, $note: String!) {
    reportMilestone(commandId: $commandId, fundId: $fundId, proposalId: $proposalId, milestoneId: $milestoneId, title: $title, status: $status, note: $note) { totalSpent } }`,
);
