import { operation } from './operation';
import type { BallotKind, Phase, PotData, Schedule } from './operations';

/** A pot as the administrators' pages read it: the residents' pages' pot. */
export type AdminPot = PotData;
export interface VotingChange {
  kind: 'extended' | 'closed_early';
  reason: string;
  time: string;
  previousClosesAt: string | null;
  votingClosesAt: string | null;
}
export interface AdminFund {
  id: string;
  name: string;
  description: string;
  phase: Phase;
  minimumAge: number;
  timeZone: string;
  revision: number;
  schedule: Schedule;
  pots: AdminPot[];
  votingChanges: VotingChange[];
}

const ADMIN_FUND_FIELDS = `id name description phase minimumAge timeZone revision
  schedule { proposalsOpenAt reviewStartsAt votingOpensAt votingClosesAt }
  pots { id name ward budget rule ballot { kind minPicks maxPicks points } }
  votingChanges { kind reason time previousClosesAt votingClosesAt }`;

export const ADMIN_FUNDS = operation<{ funds: Pick<AdminFund, 'id' | 'name' | 'phase' | 'timeZone' | 'schedule'>[] }>(
  `query WebAdminFunds { funds { id name phase timeZone schedule { proposalsOpenAt reviewStartsAt votingOpensAt votingClosesAt } } }`,
);

export const ADMIN_FUND = operation<{ fund: AdminFund | null }, { id: string }>(
  `query WebAdminFund($id: ID!) { fund(id: $id) { ${ADMIN_FUND_FIELDS} } }`,
);

export const ADMIN_CREATE_FUND = operation<
  { createFund: { fund: { id: string } } | null },
  {
    commandId: string;
    input: { fundId: string; name: string; description: string; minimumAge: number; timeZone: string; schedule: Schedule };
  }
>(`mutation WebAdminCreateFund($commandId: ID, $input: CreateFundInput!) {
  createFund(commandId: $commandId, input: $input) { fund { id } } }`);

export interface BallotInput {
  kind: BallotKind;
  minPicks?: number;
  maxPicks?: number;
  points?: number;
}

export const ADMIN_ADD_POT = operation<
  { addPot: { fund: { id: string } } | null },
  {
    commandId: string;
    input: { fundId: string; potId: string; name: string; ward?: string; budget: string; rule: string; ballot: BallotInput };
  }
>(`mutation WebAdminAddPot($commandId: ID, $input: AddPotInput!) {
  addPot(commandId: $commandId, input: $input) { fund { id } } }`);

export const ADMIN_WARDS = operation<{ wards: string[] }>(`query WebAdminWards { wards }`);

export const ADMIN_CONFIGURE_WARDS = operation<
  { configureWards: { wards: string[]; position: string | null } | null },
  { commandId: string; wards: string[] }
>(`mutation WebAdminConfigureWards($commandId: ID, $wards: [String!]!) {
  configureWards(commandId: $commandId, wards: $wards) { wards position } }`);

export interface RegisterImportResult {
  imported: number;
  refused: { line: number; code: string; message: string }[];
}
export const ADMIN_IMPORT_REGISTER = operation<{ importRegister: RegisterImportResult | null }, { commandId: string; csv: string }>(
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
export const ADMIN_RESIDENT = operation<{ residentByReference: ResidentLookup }, { reference: string; fundId?: string }>(
  `query WebAdminResident($reference: String!, $fundId: ID) {
  residentByReference(reference: $reference, fundId: $fundId) { status ward source registeredAt eligibility { potId eligibility } } }`,
);

type Change = { done: boolean; position: string | null } | null;
export const ADMIN_VERIFY_RESIDENT = operation<{ verifyResident: Change }, { commandId: string; reference: string }>(
  `mutation WebAdminVerifyResident($commandId: ID, $reference: String!) {
  verifyResident(commandId: $commandId, reference: $reference) { done position } }`,
);
export const ADMIN_ASSIGN_WARD = operation<{ assignWard: Change }, { commandId: string; reference: string; ward: string }>(
  `mutation WebAdminAssignWard($commandId: ID, $reference: String!, $ward: String!) {
  assignWard(commandId: $commandId, reference: $reference, ward: $ward) { done position } }`,
);
export const ADMIN_ERASE_RESIDENT = operation<{ eraseResident: Change }, { commandId: string; reference: string; reason: string }>(
  `mutation WebAdminEraseResident($commandId: ID, $reference: String!, $reason: String!) {
  eraseResident(commandId: $commandId, reference: $reference, reason: $reason) { done position } }`,
);

type FundChange = { fund: { id: string; phase: Phase } } | null;
/** One operation per phase change, so each page runs exactly the change it describes. */
export const ADMIN_PHASE_CHANGES = {
  openProposals: operation<{ openProposals: FundChange }, { commandId: string; fundId: string }>(
    `mutation WebAdminOpenProposals($commandId: ID, $fundId: ID!) { openProposals(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  startReview: operation<{ startReview: FundChange }, { commandId: string; fundId: string }>(
    `mutation WebAdminStartReview($commandId: ID, $fundId: ID!) { startReview(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  openVoting: operation<{ openVoting: FundChange }, { commandId: string; fundId: string }>(
    `mutation WebAdminOpenVoting($commandId: ID, $fundId: ID!) { openVoting(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  closeVoting: operation<{ closeVoting: FundChange }, { commandId: string; fundId: string }>(
    `mutation WebAdminCloseVoting($commandId: ID, $fundId: ID!) { closeVoting(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  publishResults: operation<{ publishResults: FundChange }, { commandId: string; fundId: string }>(
    `mutation WebAdminPublishResults($commandId: ID, $fundId: ID!) { publishResults(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  startDelivery: operation<{ startDelivery: FundChange }, { commandId: string; fundId: string }>(
    `mutation WebAdminStartDelivery($commandId: ID, $fundId: ID!) { startDelivery(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
  closeFund: operation<{ closeFund: FundChange }, { commandId: string; fundId: string }>(
    `mutation WebAdminCloseFund($commandId: ID, $fundId: ID!) { closeFund(commandId: $commandId, fundId: $fundId) { fund { id phase } } }`,
  ),
} as const;
export type PhaseChange = keyof typeof ADMIN_PHASE_CHANGES;

export const ADMIN_EXTEND_VOTING = operation<
  { extendVoting: FundChange },
  { commandId: string; fundId: string; reason: string; votingClosesAt: string }
>(`mutation WebAdminExtendVoting($commandId: ID, $fundId: ID!, $reason: String!, $votingClosesAt: DateTime!) {
  extendVoting(commandId: $commandId, fundId: $fundId, reason: $reason, votingClosesAt: $votingClosesAt) { fund { id phase } } }`);

export const ADMIN_CLOSE_VOTING_EARLY = operation<{ closeVotingEarly: FundChange }, { commandId: string; fundId: string; reason: string }>(
  `mutation WebAdminCloseVotingEarly($commandId: ID, $fundId: ID!, $reason: String!) {
  closeVotingEarly(commandId: $commandId, fundId: $fundId, reason: $reason) { fund { id phase } } }`,
);
