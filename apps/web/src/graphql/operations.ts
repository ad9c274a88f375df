import { operation } from './operation';
import type {
  BallotKind,
  Eligibility,
  FundPhase,
  ProposalStatus,
  WebBallotDoneQuery,
  WebBallotDoneQueryVariables,
  WebBallotPageQuery,
  WebBallotPageQueryVariables,
  WebBallotRulesQuery,
  WebBallotRulesQueryVariables,
  WebCastBallotMutation,
  WebCastBallotMutationVariables,
  WebDeliveryQuery,
  WebDeliveryQueryVariables,
  WebDevSignInMutation,
  WebDevSignInMutationVariables,
  WebDevStaffSignInMutation,
  WebDevStaffSignInMutationVariables,
  WebEditProposalMutation,
  WebEditProposalMutationVariables,
  WebFundQuery,
  WebFundQueryVariables,
  WebFundsQuery,
  WebFundsQueryVariables,
  WebMyBallotQuery,
  WebMyBallotQueryVariables,
  WebMyEligibilityQuery,
  WebMyEligibilityQueryVariables,
  WebProposalQuery,
  WebProposalQueryVariables,
  WebProposalsQuery,
  WebProposalsQueryVariables,
  WebReceiptCheckQuery,
  WebReceiptCheckQueryVariables,
  WebReplaceBallotMutation,
  WebReplaceBallotMutationVariables,
  WebResultsQuery,
  WebResultsQueryVariables,
  WebSignOutMutation,
  WebSignOutMutationVariables,
  WebSubmitProposalMutation,
  WebSubmitProposalMutationVariables,
  WebTallyQuery,
  WebTallyQueryVariables,
  WebWithdrawProposalMutation,
  WebWithdrawProposalMutationVariables,
} from './generated';

/** The shapes the pages read, as the generated types of the operations that read them. */
export type Phase = FundPhase;
export type { BallotKind, ProposalStatus };
export type FundData = NonNullable<WebFundQuery['fund']>;
export type PotData = FundData['pots'][number];
export type Schedule = FundData['schedule'];
type ProposalWithHistory = NonNullable<WebProposalQuery['proposal']>;
export type ProposalData = Omit<ProposalWithHistory, 'history'>;
export type HistoryEntry = ProposalWithHistory['history'][number];
export type MyBallot = NonNullable<WebMyBallotQuery['myBallot']>;
/** The short code a resident copies (base32 with a check character) is `code`, as the API makes it. */
export type Receipt = MyBallot['receipt'];

export const FUND_FIELDS = `id name description phase minimumAge timeZone
  schedule { proposalsOpenAt reviewStartsAt votingOpensAt votingClosesAt }
  pots { id name ward budget rule ballot { kind minPicks maxPicks points } }`;
const PROPOSAL_FIELDS = `id fundId potId number title summary description category estimatedCost officialCost status ward mine revision rejectReason mergedInto submittedAt`;
/** What a list of proposals shows (the API's query cost limit counts every field). */
const LIST_FIELDS = `id potId number title summary category estimatedCost officialCost status`;

export const FUNDS = operation<WebFundsQuery, WebFundsQueryVariables>(`query WebFunds { funds { ${FUND_FIELDS} } }`);

export const FUND = operation<WebFundQuery, WebFundQueryVariables>(`query WebFund($id: ID!) { fund(id: $id) { ${FUND_FIELDS} } }`);

/** A proposal as a list shows it. */
export type ProposalSummary = WebProposalsQuery['proposals']['edges'][number]['node'];

export const PROPOSALS = operation<WebProposalsQuery, WebProposalsQueryVariables>(
  `query WebProposals($fundId: ID!, $potId: ID, $search: String, $status: ProposalStatus, $ward: String, $category: String, $order: ProposalOrder! = submitted) {
    proposals(fundId: $fundId, potId: $potId, search: $search, status: $status, ward: $ward, category: $category, order: $order, first: 100) {
      totalCount edges { node { ${LIST_FIELDS} } }
    }
  }`,
);

export const PROPOSAL = operation<WebProposalQuery, WebProposalQueryVariables>(
  `query WebProposal($id: ID!) { proposal(id: $id) { ${PROPOSAL_FIELDS} history { type actorRole time } } }`,
);

export const SUBMIT_PROPOSAL = operation<
  WebSubmitProposalMutation,
  WebSubmitProposalMutationVariables
>(`mutation WebSubmitProposal($commandId: ID, $input: SubmitProposalInput!) {
  submitProposal(commandId: $commandId, input: $input) { proposal { id } } }`);

export const EDIT_PROPOSAL = operation<
  WebEditProposalMutation,
  WebEditProposalMutationVariables
>(`mutation WebEditProposal($commandId: ID, $proposalId: ID!, $expectedRevision: Int, $changes: EditProposalInput!) {
  editProposal(commandId: $commandId, proposalId: $proposalId, expectedRevision: $expectedRevision, changes: $changes) { proposal { id } } }`);

export const WITHDRAW_PROPOSAL = operation<WebWithdrawProposalMutation, WebWithdrawProposalMutationVariables>(
  `mutation WebWithdrawProposal($commandId: ID, $proposalId: ID!) { withdrawProposal(commandId: $commandId, proposalId: $proposalId) { proposal { id } } }`,
);

/** Ends the API session behind the web session: its token is refused from the next request on. */
export const SIGN_OUT = operation<WebSignOutMutation, WebSignOutMutationVariables>(`mutation WebSignOut { signOut }`);

export const DEV_SIGN_IN = operation<WebDevSignInMutation, WebDevSignInMutationVariables>(
  `mutation WebDevSignIn($subject: String!) { devSignIn(role: resident, subject: $subject) { token subject } }`,
);

/** The development sign-in of a member of staff (off in production, where staff sign in through the council's provider). */
export const DEV_STAFF_SIGN_IN = operation<WebDevStaffSignInMutation, WebDevStaffSignInMutationVariables>(
  `mutation WebDevStaffSignIn($role: Role!, $subject: String!) { devSignIn(role: $role, subject: $subject) { token subject } }`,
);

/** A ballot's content as a form reads it (the API's input also takes nulls). */
export interface BallotContent {
  proposalIds?: string[];
  points?: { proposalId: string; points: number }[];
}
export type EligibilityCode = Eligibility;
export type PotEligibility = WebMyEligibilityQuery['myEligibility'][number];

/** In which pots of a fund the signed-in resident may vote, and why not where not. */
export const MY_ELIGIBILITY = operation<WebMyEligibilityQuery, WebMyEligibilityQueryVariables>(
  `query WebMyEligibility($fundId: ID!) { myEligibility(fundId: $fundId) { potId eligibility eligible } }`,
);

/**
 * The ballot page in one operation: the fund, the resident's ballot, whether they may vote in
 * each pot, and the pot's accepted proposals in the resident's own shuffle (fixed by the seed).
 */
export const BALLOT_PAGE = operation<WebBallotPageQuery, WebBallotPageQueryVariables>(
  `query WebBallotPage($fundId: ID!, $potId: ID!, $seed: String!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    myBallot(fundId: $fundId, potId: $potId) { kind status proposalIds points { proposalId points } receipt { position hash code } }
    myEligibility(fundId: $fundId) { potId eligibility eligible }
    proposals(fundId: $fundId, potId: $potId, status: accepted, order: random, seed: $seed, first: 100) { edges { node { ${LIST_FIELDS} } } }
  }`,
);

/**
 * What a posted ballot is checked against: the fund (its phase and pots) and the pot's accepted
 * proposals (in the same shuffle, should the form come back with an error), from the read
 * models. No read of the resident's own ballot stream, which waits for the store's pending
 * write batch to sync, nor of their eligibility: the API refuses an ineligible ballot itself.
 */
export const BALLOT_RULES = operation<WebBallotRulesQuery, WebBallotRulesQueryVariables>(
  `query WebBallotRules($fundId: ID!, $potId: ID!, $seed: String!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    proposals(fundId: $fundId, potId: $potId, status: accepted, order: random, seed: $seed, first: 100) { edges { node { ${LIST_FIELDS} } } }
  }`,
);

/**
 * The confirmation after a vote: the fund, the resident's ballot with the titles of the
 * proposals it names. Neither the resident's eligibility, nor the shuffle, nor the pot's other
 * proposals, nor the fund's other fields: it follows every web ballot, so it reads as little as
 * the page shows (each root field runs the API's guards, each field is resolved and costed).
 */
export const BALLOT_DONE = operation<WebBallotDoneQuery, WebBallotDoneQueryVariables>(
  `query WebBallotDone($fundId: ID!, $potId: ID!) {
    fund(id: $fundId) { id timeZone schedule { votingClosesAt } pots { id name } }
    myBallot(fundId: $fundId, potId: $potId) { kind status proposalIds points { proposalId points } receipt { code }
      proposals { id number title } }
  }`,
);

export const MY_BALLOT = operation<WebMyBallotQuery, WebMyBallotQueryVariables>(
  `query WebMyBallot($fundId: ID!, $potId: ID!) {
    myBallot(fundId: $fundId, potId: $potId) { kind status proposalIds points { proposalId points } receipt { position hash code } } }`,
);

/** A ballot's receipt code is read back from its event only when the page shows it (`receipt`: a kiosk's). */
export const CAST_BALLOT = operation<WebCastBallotMutation, WebCastBallotMutationVariables>(
  `mutation WebCastBallot($commandId: ID, $fundId: ID!, $potId: ID!, $content: BallotContentInput!, $receipt: Boolean!) {
    castBallot(commandId: $commandId, fundId: $fundId, potId: $potId, content: $content) { position code @include(if: $receipt) } }`,
);

export const REPLACE_BALLOT = operation<WebReplaceBallotMutation, WebReplaceBallotMutationVariables>(
  `mutation WebReplaceBallot($commandId: ID, $fundId: ID!, $potId: ID!, $content: BallotContentInput!, $receipt: Boolean!) {
    replaceBallot(commandId: $commandId, fundId: $fundId, potId: $potId, content: $content) { position code @include(if: $receipt) } }`,
);

export type AllocationData = WebResultsQuery['results'];
export type LineExplanation = NonNullable<AllocationData['lines'][number]['explanation']>;
export type PaymentGroup = NonNullable<NonNullable<LineExplanation['mes']>['payments']>[number];

export const RESULTS = operation<WebResultsQuery, WebResultsQueryVariables>(
  `query WebResults($fundId: ID!, $potId: ID!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    results(potId: $potId) { status rule budget totalCost ballotCount lines { proposalId funded amount overridden reason
      explanation { supporters greedy { outcome rank remainingBefore }
        mes { outcome round priceFactor payments { voters allTheyHad paidEach total } exhaustedBy supportersMoney effectiveSupport overlaps { proposalId shared } } } } }
  }`,
);

export const TALLY = operation<WebTallyQuery, WebTallyQueryVariables>(
  `query WebTally($potId: ID!) { tally(potId: $potId) { ballots lines { proposalId supporters points } } }`,
);

export const DELIVERY = operation<WebDeliveryQuery, WebDeliveryQueryVariables>(
  `query WebDelivery($proposalId: ID!) { delivery(proposalId: $proposalId) { totalSpent milestones { milestoneId title status note } } }`,
);

/** A receipt checked by anyone, without signing in: the standing the embargo lets it tell, and whether its proof is signed yet. */
export const RECEIPT_CHECK = operation<WebReceiptCheckQuery, WebReceiptCheckQueryVariables>(
  `query WebReceiptCheck($receipt: String!) { receipt(receipt: $receipt) { code proofStatus standing { potId status reason } } }`,
);
