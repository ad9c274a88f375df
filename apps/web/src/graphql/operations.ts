import { operation } from './operation';

export type Phase = 'draft' | 'proposals_open' | 'review' | 'voting_open' | 'voting_closed' | 'results_published' | 'delivery' | 'closed';
export type BallotKind = 'approval' | 'knapsack' | 'cumulative';
export type ProposalStatus = 'submitted' | 'accepted' | 'rejected' | 'withdrawn' | 'merged';

export interface PotData {
  id: string;
  name: string;
  ward: string | null;
  budget: string;
  rule: 'greedy_by_votes' | 'equal_shares_with_completion';
  ballot: { kind: BallotKind; minPicks: number | null; maxPicks: number | null; points: number | null };
}
export interface Schedule {
  proposalsOpenAt: string;
  reviewStartsAt: string;
  votingOpensAt: string;
  votingClosesAt: string;
}
export interface FundData {
  id: string;
  name: string;
  description: string;
  phase: Phase;
  minimumAge: number;
  /** The IANA time zone every date of the fund is shown in. */
  timeZone: string;
  schedule: Schedule;
  pots: PotData[];
}
export interface ProposalData {
  id: string;
  fundId: string;
  potId: string;
  /** The proposal's public number in its fund, given when it is accepted; null before. */
  number: number | null;
  title: string;
  summary: string;
  description: string;
  category: string;
  estimatedCost: string;
  officialCost: string | null;
  status: ProposalStatus;
  ward: string | null;
  mine: boolean;
  revision: number;
  rejectReason: string | null;
  mergedInto: string | null;
  submittedAt: string;
}
export interface HistoryEntry {
  type: string;
  actorRole: string;
  time: string;
}
export interface Receipt {
  position: string | null;
  hash: string | null;
  /** The short code a resident copies (base32 with a check character), as the API makes it. */
  code: string | null;
}

const FUND_FIELDS = `id name description phase minimumAge timeZone
  schedule { proposalsOpenAt reviewStartsAt votingOpensAt votingClosesAt }
  pots { id name ward budget rule ballot { kind minPicks maxPicks points } }`;
const PROPOSAL_FIELDS = `id fundId potId number title summary description category estimatedCost officialCost status ward mine revision rejectReason mergedInto submittedAt`;
/** What a list of proposals shows (the API's query cost limit counts every field). */
const LIST_FIELDS = `id potId number title summary category estimatedCost officialCost status`;

export const FUNDS = operation<{ funds: FundData[] }>(`query WebFunds { funds { ${FUND_FIELDS} } }`);

export const FUND = operation<{ fund: FundData | null }, { id: string }>(`query WebFund($id: ID!) { fund(id: $id) { ${FUND_FIELDS} } }`);

/** A proposal as a list shows it. */
export type ProposalSummary = Pick<
  ProposalData,
  'id' | 'potId' | 'number' | 'title' | 'summary' | 'category' | 'estimatedCost' | 'officialCost' | 'status'
>;

export const PROPOSALS = operation<
  { proposals: { totalCount: number; edges: { node: ProposalSummary }[] } },
  {
    fundId: string;
    potId?: string;
    search?: string;
    status?: ProposalStatus;
    ward?: string;
    category?: string;
    order?: 'submitted' | 'number';
  }
>(
  `query WebProposals($fundId: ID!, $potId: ID, $search: String, $status: ProposalStatus, $ward: String, $category: String, $order: ProposalOrder! = submitted) {
    proposals(fundId: $fundId, potId: $potId, search: $search, status: $status, ward: $ward, category: $category, order: $order, first: 100) {
      totalCount edges { node { ${LIST_FIELDS} } }
    }
  }`,
);

export const PROPOSAL = operation<{ proposal: (ProposalData & { history: HistoryEntry[] }) | null }, { id: string }>(
  `query WebProposal($id: ID!) { proposal(id: $id) { ${PROPOSAL_FIELDS} history { type actorRole time } } }`,
);

export const SUBMIT_PROPOSAL = operation<
  { submitProposal: { proposal: { id: string } } },
  {
    commandId: string;
    input: {
      proposalId: string;
      fundId: string;
      potId: string;
      title: string;
      summary: string;
      description: string;
      category: string;
      estimatedCost: string;
    };
  }
>(`mutation WebSubmitProposal($commandId: ID, $input: SubmitProposalInput!) {
  submitProposal(commandId: $commandId, input: $input) { proposal { id } } }`);

export const EDIT_PROPOSAL = operation<
  { editProposal: { proposal: { id: string } } },
  {
    commandId: string;
    proposalId: string;
    expectedRevision: number;
    changes: { title?: string; summary?: string; description?: string; category?: string; estimatedCost?: string };
  }
>(`mutation WebEditProposal($commandId: ID, $proposalId: ID!, $expectedRevision: Int, $changes: EditProposalInput!) {
  editProposal(commandId: $commandId, proposalId: $proposalId, expectedRevision: $expectedRevision, changes: $changes) { proposal { id } } }`);

export const WITHDRAW_PROPOSAL = operation<{ withdrawProposal: { proposal: { id: string } } }, { commandId: string; proposalId: string }>(
  `mutation WebWithdrawProposal($commandId: ID, $proposalId: ID!) { withdrawProposal(commandId: $commandId, proposalId: $proposalId) { proposal { id } } }`,
);

/** Ends the API session behind the web session: its token is refused from the next request on. */
export const SIGN_OUT = operation<{ signOut: boolean | null }, Record<string, never>>(`mutation WebSignOut { signOut }`);

export const DEV_SIGN_IN = operation<{ devSignIn: { token: string; subject: string } }, { subject: string }>(
  `mutation WebDevSignIn($subject: String!) { devSignIn(role: resident, subject: $subject) { token subject } }`,
);

/** The development sign-in of a member of staff (off in production, where staff sign in through the council's provider). */
export const DEV_STAFF_SIGN_IN = operation<{ devSignIn: { token: string; subject: string } }, { role: string; subject: string }>(
  `mutation WebDevStaffSignIn($role: Role!, $subject: String!) { devSignIn(role: $role, subject: $subject) { token subject } }`,
);

export interface BallotContent {
  proposalIds?: string[];
  points?: { proposalId: string; points: number }[];
}
export interface MyBallot {
  kind: string;
  status: string;
  proposalIds: string[] | null;
  points: { proposalId: string; points: number }[] | null;
  receipt: Receipt;
}

export type EligibilityCode = 'eligible' | 'not_registered' | 'not_verified' | 'too_young' | 'other_ward' | 'erased';
export interface PotEligibility {
  potId: string;
  eligibility: EligibilityCode;
  eligible: boolean;
}

/** In which pots of a fund the signed-in resident may vote, and why not where not. */
export const MY_ELIGIBILITY = operation<{ myEligibility: PotEligibility[] }, { fundId: string }>(
  `query WebMyEligibility($fundId: ID!) { myEligibility(fundId: $fundId) { potId eligibility eligible } }`,
);

/**
 * The ballot page in one operation: the fund, the resident's ballot, whether they may vote in
 * each pot, and the pot's accepted proposals in the resident's own shuffle (fixed by the seed).
 */
export const BALLOT_PAGE = operation<
  {
    fund: FundData | null;
    myBallot: MyBallot | null;
    myEligibility: PotEligibility[];
    proposals: { edges: { node: ProposalSummary }[] };
  },
  { fundId: string; potId: string; seed: string }
>(
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
export const BALLOT_RULES = operation<
  { fund: FundData | null; proposals: { edges: { node: ProposalSummary }[] } },
  { fundId: string; potId: string; seed: string }
>(
  `query WebBallotRules($fundId: ID!, $potId: ID!, $seed: String!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    proposals(fundId: $fundId, potId: $potId, status: accepted, order: random, seed: $seed, first: 100) { edges { node { ${LIST_FIELDS} } } }
  }`,
);

export const MY_BALLOT = operation<{ myBallot: MyBallot | null }, { fundId: string; potId: string }>(
  `query WebMyBallot($fundId: ID!, $potId: ID!) {
    myBallot(fundId: $fundId, potId: $potId) { kind status proposalIds points { proposalId points } receipt { position hash code } } }`,
);

export const CAST_BALLOT = operation<{ castBallot: Receipt }, { commandId: string; fundId: string; potId: string; content: BallotContent }>(
  `mutation WebCastBallot($commandId: ID, $fundId: ID!, $potId: ID!, $content: BallotContentInput!) {
    castBallot(commandId: $commandId, fundId: $fundId, potId: $potId, content: $content) { position hash code } }`,
);

export const REPLACE_BALLOT = operation<
  { replaceBallot: Receipt },
  { commandId: string; fundId: string; potId: string; content: BallotContent }
>(
  `mutation WebReplaceBallot($commandId: ID, $fundId: ID!, $potId: ID!, $content: BallotContentInput!) {
    replaceBallot(commandId: $commandId, fundId: $fundId, potId: $potId, content: $content) { position hash code } }`,
);

export interface PaymentGroup {
  voters: number;
  allTheyHad: boolean;
  paidEach: string | null;
  total: string;
}
export interface LineExplanation {
  supporters: number;
  greedy: { outcome: 'funded' | 'did_not_fit'; rank: number; remainingBefore: string } | null;
  mes: {
    outcome: 'funded' | 'unaffordable' | 'no_supporters';
    round: number | null;
    priceFactor: string | null;
    payments: PaymentGroup[] | null;
    exhaustedBy: string | null;
    supportersMoney: string | null;
    effectiveSupport: string | null;
    overlaps: { proposalId: string; shared: number }[] | null;
  } | null;
}
export interface AllocationData {
  status: string;
  rule: string | null;
  budget: string | null;
  totalCost: string | null;
  ballotCount: number | null;
  lines: {
    proposalId: string;
    funded: boolean;
    amount: string;
    /** A councillor overrode the rule's decision on this line; `reason` says why. */
    overridden?: boolean;
    reason?: string;
    explanation: LineExplanation | null;
  }[];
}

export const RESULTS = operation<{ fund: FundData | null; results: AllocationData }, { fundId: string; potId: string }>(
  `query WebResults($fundId: ID!, $potId: ID!) {
    fund(id: $fundId) { ${FUND_FIELDS} }
    results(potId: $potId) { status rule budget totalCost ballotCount lines { proposalId funded amount overridden reason
      explanation { supporters greedy { outcome rank remainingBefore }
        mes { outcome round priceFactor payments { voters allTheyHad paidEach total } exhaustedBy supportersMoney effectiveSupport overlaps { proposalId shared } } } } }
  }`,
);

export const TALLY = operation<
  { tally: { ballots: number; lines: { proposalId: string; supporters: number; points: number }[] } },
  { potId: string }
>(`query WebTally($potId: ID!) { tally(potId: $potId) { ballots lines { proposalId supporters points } } }`);

export const DELIVERY = operation<
  { delivery: { totalSpent: string; milestones: { milestoneId: string; title: string; status: string; note: string }[] } },
  { proposalId: string }
>(`query WebDelivery($proposalId: ID!) { delivery(proposalId: $proposalId) { totalSpent milestones { milestoneId title status note } } }`);

/** A receipt checked by anyone, without signing in: the standing the embargo lets it tell, and whether its proof is signed yet. */
export const RECEIPT_CHECK = operation<
  {
    receipt: {
      code: string;
      proofStatus: string;
      standing: { potId: string; status: string; reason: string | null } | null;
    } | null;
  },
  { receipt: string }
>(`query WebReceiptCheck($receipt: String!) { receipt(receipt: $receipt) { code proofStatus standing { potId status reason } } }`);
