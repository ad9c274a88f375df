import { operation } from './operation';
import type {
  WebAdminAddPotMutation,
  WebAdminAddPotMutationVariables,
  WebAdminAssignWardMutation,
  WebAdminAssignWardMutationVariables,
  WebAdminCloseFundMutation,
  WebAdminCloseFundMutationVariables,
  WebAdminCloseVotingEarlyMutation,
  WebAdminCloseVotingEarlyMutationVariables,
  WebAdminCloseVotingMutation,
  WebAdminCloseVotingMutationVariables,
  WebAdminConfigureWardsMutation,
  WebAdminConfigureWardsMutationVariables,
  WebAdminCreateFundMutation,
  WebAdminCreateFundMutationVariables,
  WebAdminEraseResidentMutation,
  WebAdminEraseResidentMutationVariables,
  WebAdminExtendVotingMutation,
  WebAdminExtendVotingMutationVariables,
  WebAdminFundQuery,
  WebAdminFundQueryVariables,
  WebAdminFundsQuery,
  WebAdminFundsQueryVariables,
  WebAdminImportRegisterMutation,
  WebAdminImportRegisterMutationVariables,
  WebAdminOpenProposalsMutation,
  WebAdminOpenProposalsMutationVariables,
  WebAdminOpenVotingMutation,
  WebAdminOpenVotingMutationVariables,
  WebAdminPublishResultsMutation,
  WebAdminPublishResultsMutationVariables,
  WebAdminResidentQuery,
  WebAdminResidentQueryVariables,
  WebAdminStartDeliveryMutation,
  WebAdminStartDeliveryMutationVariables,
  WebAdminStartReviewMutation,
  WebAdminStartReviewMutationVariables,
  WebAdminVerifyResidentMutation,
  WebAdminVerifyResidentMutationVariables,
  WebAdminWardsQuery,
  WebAdminWardsQueryVariables,
} from './generated';
import type { BallotKind, Phase, PotData, Schedule } from './operations';

/** A pot as the administrators' pages read it: the residents' pages' pot. */
export type AdminPot = PotData;
/** A fund as the administrators' pages read it. */
export type AdminFund = NonNullable<WebAdminFundQuery['fund']>;
export type VotingChange = AdminFund['votingChanges'][number];

const ADMIN_FUND_FIELDS = `id name description phase minimumAge timeZone revision ballotPublication
  schedule { proposalsOpenAt reviewStartsAt votingOpensAt votingClosesAt }
  pots { id name ward budget rule ballot { kind minPicks maxPicks points } }
  votingChanges { kind reason time previousClosesAt votingClosesAt }`;

export const ADMIN_FUNDS = operation<WebAdminFundsQuery, WebAdminFundsQueryVariables>(
  `query WebAdminFunds { funds { id name phase timeZone schedule { proposalsOpenAt reviewStartsAt votingOpensAt votingClosesAt } } }`,
);

export const ADMIN_FUND = operation<WebAdminFundQuery, WebAdminFundQueryVariables>(
  `query WebAdminFund($id: ID!) { fund(id: $id) { ${ADMIN_FUND_FIELDS} } }`,
);

export const ADMIN_CREATE_FUND = operation<
  WebAdminCreateFundMutation,
  WebAdminCreateFundMutationVariables
>(`mutation WebAdminCreateFund($commandId: ID, $input: CreateFundInput!) {
  createFund(commandId: $commandId, input: $input) { fund { id } } }`);

export interface BallotInput {
  kind: BallotKind;
  minPicks?: number;
  maxPicks?: number;
  points?: number;
}

export const ADMIN_ADD_POT = operation<
  WebAdminAddPotMutation,
  WebAdminAddPotMutationVariables
>(`mutation WebAdminAddPot($commandId: ID, $input: AddPotInput!) {
  addPot(commandId: $commandId, input: $input) { fund { id } } }`);

export const ADMIN_WARDS = operation<WebAdminWardsQuery, WebAdminWardsQueryVariables>(`query WebAdminWards { wards }`);

export const ADMIN_CONFIGURE_WARDS = operation<
  WebAdminConfigureWardsMutation,
  WebAdminConfigureWardsMutationVariables
>(`mutation WebAdminConfigureWards($commandId: ID, $wards: [String!]!) {
  configureWards(commandId: $commandId, wards: $wards) { wards position } }`);

export interface RegisterImportResult {
  imported: number;
  refused: { line: number; code: string; message: string }[];
}
export const ADMIN_IMPORT_REGISTER = operation<WebAdminImportRegisterMutation, WebAdminImportRegisterMutationVariables>(
  `mutation WebAdminImportRegister($commandId: ID, $csv: String!) {
  importRegister(commandId: $commandId, csv: $csv) { imported refused { line code message } } }`,
);

export interface ResidentLookup {
  status: 'registered' | 'verified' | 'erased' | 'not_registered';
  ward: string | null;
  source: string | null;
  registeredAt: string | null;
  eligibility: { potId: string; eligibility: string }[] | null;
}
export const ADMIN_RESIDENT = operation<WebAdminResidentQuery, WebAdminResidentQueryVariables>(
  `query WebAdminResident($reference: String!, $fundId: ID) {
  residentByReference(reference: $reference, fundId: $fundId) { status ward source registeredAt eligibility { potId eligibility } } }`,
);

type Change = { done: boolean; position: string | null } | null;
export const ADMIN_VERIFY_RESIDENT = operation<WebAdminVerifyResidentMutation, WebAdminVerifyResidentMutationVariables>(
  `mutation WebAdminVerifyResident($commandId: ID, $reference: String!) {
  verifyResident(commandId: $commandId, reference: $reference) { done position } }`,
);
export const ADMIN_ASSIGN_WARD = operation<WebAdminAssignWardMutation, WebAdminAssignWardMutationVariables>(
  `mutation WebAdminAssignWard($commandId: ID, $reference: String!, $ward: String!) {
  assignWard(commandId: $commandId, reference: $reference, ward: $ward) { done position } }`,
);
export const ADMIN_ERASE_RESIDENT = operation<WebAdminEraseResidentMutation, WebAdminEraseResidentMutationVariables>(
  `mutation WebAdminEraseResident($commandId: ID, $reference: String!, $reason: String!) {
  eraseResident(commandId: $commandId, reference: $reference, reason: $reason) { done position } }`,
);

type FundChange = { fund: { id: string; phase: Phase } } | null;
/** One operation per phase change, so each page runs exactly the change it describes. */
export const ADMIN_PHASE_CHANGES = {
  openProposals: operation<WebAdminOpenProposalsMutation, WebAdminOpenProposalsMutationVariables>(
    `mutation WebAdminOpenProposals($commandId: ID, $fundId: ID!) { openProposals(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  startReview: operation<WebAdminStartReviewMutation, WebAdminStartReviewMutationVariables>(
    `mutation WebAdminStartReview($commandId: ID, $fundId: ID!) { startReview(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  openVoting: operation<WebAdminOpenVotingMutation, WebAdminOpenVotingMutationVariables>(
    `mutation WebAdminOpenVoting($commandId: ID, $fundId: ID!) { openVoting(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  closeVoting: operation<WebAdminCloseVotingMutation, WebAdminCloseVotingMutationVariables>(
    `mutation WebAdminCloseVoting($commandId: ID, $fundId: ID!) { closeVoting(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  publishResults: operation<WebAdminPublishResultsMutation, WebAdminPublishResultsMutationVariables>(
    `mutation WebAdminPublishResults($commandId: ID, $fundId: ID!) { publishResults(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  startDelivery: operation<WebAdminStartDeliveryMutation, WebAdminStartDeliveryMutationVariables>(
    `mutation WebAdminStartDelivery($commandId: ID, $fundId: ID!) { startDelivery(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  closeFund: operation<WebAdminCloseFundMutation, WebAdminCloseFundMutationVariables>(
    `mutation WebAdminCloseFund($commandId: ID, $fundId: ID!) { closeFund(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
} as const;
export type PhaseChange = keyof typeof ADMIN_PHASE_CHANGES;

export const ADMIN_EXTEND_VOTING = operation<
  WebAdminExtendVotingMutation,
  WebAdminExtendVotingMutationVariables
>(`mutation WebAdminExtendVoting($commandId: ID, $fundId: ID!, $reason: String!, $votingClosesAt: DateTime!) {
  extendVoting(commandId: $commandId, fundId: $fundId, reason: $reason, votingClosesAt: $votingClosesAt) { fund { id phase } } }`);

export const ADMIN_CLOSE_VOTING_EARLY = operation<WebAdminCloseVotingEarlyMutation, WebAdminCloseVotingEarlyMutationVariables>(
  `mutation WebAdminCloseVotingEarly($commandId: ID, $fundId: ID!, $reason: String!) {
  closeVotingEarly(commandId: $commandId, fundId: $fundId, reason: $reason) { fund { id phase } } }`,
);
