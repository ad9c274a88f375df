import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { startApi } from './support/api-client';

/**
 * The authorization matrix: every operation, called by every role and by nobody. An operation
 * either lets a caller through (whatever the domain then says about the arguments) or refuses
 * them at the gate, before any resolver runs: deny by default.
 */
const ROLES = ['anonymous', 'resident', 'reviewer', 'councillor', 'administrator', 'auditor'] as const;
type Caller = (typeof ROLES)[number];
const ID = '00000000-0000-4000-8000-000000000001';
const SCHEDULE = `{ proposalsOpenAt: "2030-01-01T00:00:00Z", reviewStartsAt: "2030-02-01T00:00:00Z", votingOpensAt: "2030-03-01T00:00:00Z", votingClosesAt: "2030-04-01T00:00:00Z" }`;
const EVERYONE: readonly Caller[] = ROLES;
const SIGNED_IN: readonly Caller[] = ROLES.filter((r) => r !== 'anonymous');

const MATRIX: [string, readonly Caller[]][] = [
  ['{ version { version } }', EVERYONE],
  ['{ funds { id } }', EVERYONE],
  [`{ fund(id: "${ID}") { id } }`, EVERYONE],
  [`{ proposals(first: 5) { totalCount } }`, EVERYONE],
  [`{ proposal(id: "${ID}") { id } }`, EVERYONE],
  [`{ results(potId: "${ID}") { status } }`, EVERYONE],
  [`{ delivery(proposalId: "${ID}") { totalSpent } }`, EVERYONE],
  ['{ auditKey { keyId } }', EVERYONE],
  ['{ auditStatus { checkpointCount signatureValid } }', EVERYONE],
  // Receipts, the transparency log, certificates and bulletin boards are for anyone to check.
  [`{ receipt(receipt: "${'ab'.repeat(32)}") { hash } }`, EVERYONE],
  ['{ checkpoints(first: 1) { nextSequence } }', EVERYONE],
  ['{ consistencyProof(fromSize: 0, toSize: 0) { proof } }', EVERYONE],
  [`{ resultsCertificate(potId: "${ID}") }`, EVERYONE],
  [`{ bulletinBoard(potId: "${ID}") { potId } }`, EVERYONE],
  [`{ bulletinBoard(potId: "${ID}", first: 10, offset: 0, receipt: "${'ab'.repeat(32)}") { matching } }`, EVERYONE],
  // Past the gate, the tally itself shows live counts to staff only, and to everyone once results are out.
  [`{ tally(potId: "${ID}") { ballots } }`, EVERYONE],
  // The development sign-in; a production server has none (api.e2e.spec.ts).
  ['mutation { devSignIn(role: resident, subject: "X-1") { token } }', EVERYONE],
  ['{ me { role } }', SIGNED_IN],
  // A browser sign-in's one-time code (a wrong one is refused past the gate: AUTH.SIGN_IN_EXPIRED).
  ['mutation { redeemSignIn(code: "x") { token } }', EVERYONE],
  // Past the gate, a server without e-mailed codes refuses them (AUTH.FORBIDDEN with its own message).
  ['mutation { requestSignInCode(identifier: "a@b.example") { challenge } }', EVERYONE],
  ['mutation { signInWithCode(challenge: "x", code: "123456") { token } }', EVERYONE],
  ['mutation { signInWithPollCard(reference: "X-1", code: "AAAA-AAAA-AAAA-AAAA") { token } }', EVERYONE],
  // Past the gate, the personal-data permission is checked (nobody holds it here: AUTH.FORBIDDEN with its own message).
  [`mutation { generatePollCards(fundId: "${ID}") { residents } }`, ['administrator']],
  [`mutation { revokePollCard(fundId: "${ID}", reference: "X-1") }`, ['administrator']],
  [`mutation { generatePollCardLetters(fundId: "${ID}") { residents } }`, ['administrator']],
  // Kiosk mode: switched on and off by an officer; past the gate, a device token no kiosk has is refused (KIOSK.NOT_ACTIVE).
  [`mutation { startKiosk(fundId: "${ID}", place: "Library") { device } }`, ['reviewer', 'councillor', 'administrator']],
  ['mutation { endKiosk(device: "x") }', ['reviewer', 'councillor', 'administrator']],
  ['mutation { signInAtKiosk(device: "x", reference: "X-1", code: "AAAA-AAAA-AAAA-AAAA") { token } }', EVERYONE],
  ['{ kiosk(device: "x") { place } }', EVERYONE],
  [`{ ballotForm(potId: "${ID}") { filename } }`, ['reviewer', 'councillor', 'administrator']],
  [`{ myBallot(fundId: "${ID}", potId: "${ID}") { status } }`, ['resident']],
  // Past the gate, the embargo decides (libs/policy): councillors, administrators and auditors, everyone once results are out.
  [`{ draftAllocation(potId: "${ID}") { status } }`, EVERYONE],
  [`{ myEligibility(fundId: "${ID}") { potId } }`, ['resident']],
  ['{ myNotifications { votingEmails } }', ['resident']],
  // Past the gate, a caller on no register is refused (RESIDENT.NOT_FOUND).
  ['mutation { setMyNotifications(input: { votingEmails: false, language: "en" }) { votingEmails } }', ['resident']],
  ['{ register { totalCount } }', ['administrator']],
  // Each event as the embargo shows it to the caller (the public export's lines for the public).
  ['{ auditLog(first: 1) { endCursor } }', EVERYONE],
  [`mutation { createFund(input: { name: "F", description: "D", schedule: ${SCHEDULE} }) { position } }`, ['administrator']],
  [`mutation { rescheduleFund(fundId: "${ID}", schedule: ${SCHEDULE}) { position } }`, ['administrator']],
  [`mutation { chooseBallotPublication(fundId: "${ID}", publication: unlinked) { position } }`, ['administrator']],
  [
    `mutation { addPot(input: { fundId: "${ID}", name: "P", budget: "100", rule: greedy_by_votes, ballot: { kind: knapsack } }) { position } }`,
    ['administrator'],
  ],
  [
    `mutation { changePotRules(fundId: "${ID}", potId: "${ID}", rules: { budget: "100", rule: greedy_by_votes, ballot: { kind: knapsack } }) { position } }`,
    ['administrator'],
  ],
  ...['openProposals', 'startReview', 'openVoting', 'closeVoting', 'startDelivery', 'closeFund'].map((m): [string, readonly Caller[]] => [
    `mutation { ${m}(fundId: "${ID}") { position } }`,
    ['administrator'],
  ]),
  ['{ wards }', EVERYONE],
  [`mutation { importPabulib(fundId: "${ID}", potId: "${ID}", file: "x", part: projects) { ballots } }`, ['administrator']],
  [`{ paperBatches(potId: "${ID}") { batchId } }`, ['reviewer', 'councillor', 'administrator', 'auditor']],
  ['{ residentByReference(reference: "X-1") { status } }', ['reviewer', 'councillor', 'administrator']],
  [`{ turnout(fundId: "${ID}") { ballots } }`, EVERYONE],
  [`{ voidedBallots(potId: "${ID}") { count } }`, EVERYONE],
  [`{ fundDelivery(fundId: "${ID}") { proposalId } }`, EVERYONE],
  ['mutation { configureWards(wards: ["Bow East"]) { position } }', ['administrator']],
  [`mutation { closeVotingEarly(fundId: "${ID}", reason: "R") { position } }`, ['administrator']],
  [`mutation { extendVoting(fundId: "${ID}", votingClosesAt: "2031-01-01T00:00:00Z", reason: "R") { position } }`, ['administrator']],
  [`mutation { publishResults(fundId: "${ID}") { position } }`, ['administrator', 'councillor']],
  [
    `mutation { submitProposal(input: { fundId: "${ID}", potId: "${ID}", title: "T", summary: "S", description: "D", category: "c", estimatedCost: "1" }) { position } }`,
    ['resident'],
  ],
  [`mutation { editProposal(proposalId: "${ID}", changes: { title: "T" }) { position } }`, ['resident']],
  [`mutation { withdrawProposal(proposalId: "${ID}") { position } }`, ['resident']],
  [`mutation { acceptProposal(proposalId: "${ID}", officialCost: "1") { position } }`, ['reviewer', 'councillor']],
  [`mutation { rejectProposal(proposalId: "${ID}", reason: "r") { position } }`, ['reviewer', 'councillor']],
  [`mutation { mergeProposals(survivorId: "${ID}", duplicateIds: ["${ID}"]) { position } }`, ['reviewer', 'councillor']],
  [`mutation { castBallot(fundId: "${ID}", potId: "${ID}", content: { proposalIds: [] }) { position } }`, ['resident']],
  [`mutation { replaceBallot(fundId: "${ID}", potId: "${ID}", content: { proposalIds: [] }) { position } }`, ['resident']],
  [`mutation { withdrawBallot(fundId: "${ID}", potId: "${ID}") { position } }`, ['resident']],
  [
    `mutation { voidBallot(fundId: "${ID}", potId: "${ID}", pseudonym: "${'a'.repeat(64)}", reason: "r") { position } }`,
    ['reviewer', 'councillor'],
  ],
  [
    `mutation { enterPaperBatch(input: { fundId: "${ID}", potId: "${ID}", officer: "o", location: "l", collectedAt: "2026-01-01T00:00:00Z", scanReference: "s", entries: [] }) { batchId } }`,
    ['reviewer', 'councillor'],
  ],
  [
    `mutation { correctPaperBatch(batchId: "${ID}", corrections: { location: "Library" }, reason: "r") { position } }`,
    ['reviewer', 'councillor'],
  ],
  [
    `mutation { correctPaperBallot(batchId: "${ID}", entryNo: 1, reference: "X-1", content: { proposalIds: ["${ID}"] }, reason: "r") { position } }`,
    ['reviewer', 'councillor'],
  ],
  [`{ paperBatch(batchId: "${ID}") { batchId } }`, ['reviewer', 'councillor', 'administrator', 'auditor']],
  // Those who void ballots find one by its receipt; its voter and marks are never shown.
  [`{ ballotByReceipt(receipt: "${'ab'.repeat(32)}") { potId } }`, ['reviewer', 'councillor']],
  [
    `mutation { voidBallot(fundId: "${ID}", potId: "${ID}", receipt: "${'ab'.repeat(32)}", reason: "r") { position } }`,
    ['reviewer', 'councillor'],
  ],
  ['mutation { importRegister(csv: "reference,ward,date_of_birth") { imported } }', ['administrator']],
  ['mutation { registerResident(input: { reference: "X-1", dateOfBirth: "1990-01-01" }) { done } }', ['administrator']],
  ['mutation { verifyResident(reference: "X-1") { done } }', ['administrator']],
  ['mutation { assignWard(reference: "X-1", ward: "Bow East") { done } }', ['administrator']],
  ['mutation { eraseResident(reference: "X-1", reason: "case 1") { done } }', ['administrator']],
  [`mutation { computeAllocation(fundId: "${ID}", potId: "${ID}") { status } }`, ['administrator']],
  [
    `mutation { overrideAllocationLine(fundId: "${ID}", potId: "${ID}", proposalId: "${ID}", funded: true, reason: "r") { status } }`,
    ['councillor'],
  ],
  [`mutation { ratifyAllocation(fundId: "${ID}", potId: "${ID}") { status } }`, ['councillor']],
  [`mutation { publishAllocation(fundId: "${ID}", potId: "${ID}") { status } }`, ['councillor']],
  [
    `mutation { reportMilestone(fundId: "${ID}", proposalId: "${ID}", title: "t", status: "done") { totalSpent } }`,
    ['reviewer', 'councillor', 'administrator'],
  ],
  [
    `mutation { reportSpend(fundId: "${ID}", proposalId: "${ID}", amount: "1", description: "d", spentOn: "2026-01-01") { totalSpent } }`,
    ['reviewer', 'councillor', 'administrator'],
  ],
  // Last: it ends the sessions of the tokens above.
  ['mutation { signOut }', SIGNED_IN],
];

/** The gate's own refusals (the domain's AUTH.FORBIDDEN messages differ: "Your role may not …"). */
const GATE =
  /^(Sign in to do this\.|The (resident|reviewer|councillor|administrator|auditor) role may not do this\.|This operation is not open to anyone\.)$/;

describe('authorization matrix: every operation × every role', () => {
  // Subscriptions are checked over graphql-ws in subscriptions.e2e.spec.ts.
  it('lists every query and mutation of the schema', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '..', 'apps', 'api', 'schema.graphql'), 'utf8'));
    const operations = [schema.getQueryType(), schema.getMutationType()].flatMap((t) => (t ? Object.keys(t.getFields()) : []));
    const listed = (name: string) => MATRIX.some(([op]) => new RegExp(`[{\\s]${name}\\b`).test(op));
    expect(operations.filter((name) => !listed(name))).toEqual([]);
  });

  let api: Awaited<ReturnType<typeof startApi>>;
  const tokens: Partial<Record<Caller, string>> = {};
  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_PER_MINUTE: '100000' });
    for (const role of ROLES) if (role !== 'anonymous') tokens[role] = await api.signIn(role, `${role}-1`);
  });
  afterAll(() => api.stop());

  it.each(MATRIX)('%s', async (operation, allowed) => {
    const outcome: Record<string, string> = {};
    for (const caller of ROLES) {
      const { errors } = await api.gql(operation, {}, tokens[caller]);
      const gate = errors?.find((e) => GATE.test(e.message) && e.extensions.code.startsWith('AUTH.'));
      outcome[caller] = gate ? gate.extensions.code : 'through';
      expect(errors?.some((e) => e.extensions.code === 'GRAPHQL_VALIDATION_FAILED' || e.extensions.code === 'BAD_USER_INPUT')).toBeFalsy();
    }
    const expected = Object.fromEntries(
      ROLES.map((caller) => [
        caller,
        allowed.includes(caller) ? 'through' : caller === 'anonymous' ? 'AUTH.UNAUTHENTICATED' : 'AUTH.FORBIDDEN',
      ]),
    );
    expect(outcome).toEqual(expected);
  });
});
