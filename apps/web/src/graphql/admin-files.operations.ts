import type { WebLiveTallySubscription, WebLiveTallySubscriptionVariables } from './generated';
import { operation } from './operation';

/** What an import of a pabulib file did (the file's SHA-256 is recorded with every record). */
export interface PabulibImportResult {
  fileDigest: string;
  projects: number;
  ballots: number;
}
export const ADMIN_IMPORT_PABULIB = operation<
  { importPabulib: PabulibImportResult | null },
  { commandId: string; fundId: string; potId: string; file: string; part: 'projects' | 'ballots' }
>(`mutation WebAdminImportPabulib($commandId: ID, $fundId: ID!, $potId: ID!, $file: String!, $part: ImportPart!) {
  importPabulib(commandId: $commandId, fundId: $fundId, potId: $potId, file: $file, part: $part) { fileDigest projects ballots } }`);

export interface PrintableDocument {
  filename: string;
  contentType: string;
  base64: string;
  pages: number;
}
export const BALLOT_FORM = operation<{ ballotForm: PrintableDocument }, { potId: string }>(
  `query WebBallotForm($potId: ID!) { ballotForm(potId: $potId) { filename contentType base64 pages } }`,
);
export const POLL_CARDS_CSV = operation<{ generatePollCards: { csv: string; residents: number } | null }, { fundId: string }>(
  `mutation WebPollCardsCsv($fundId: ID!) { generatePollCards(fundId: $fundId) { csv residents } }`,
);
export const POLL_CARD_LETTERS = operation<
  { generatePollCardLetters: { residents: number; document: PrintableDocument } | null },
  { fundId: string }
>(`mutation WebPollCardLetters($fundId: ID!) {
  generatePollCardLetters(fundId: $fundId) { residents document { filename contentType base64 pages } } }`);

/** A pot's tally as the live page follows it: its lines, and its ballots by channel for the turnout table. */
export type LiveTally = WebLiveTallySubscription['tallyUpdated'];
/** The reviewers' tally page's subscription, sent by its script over WebSocket (one per pot of the fund). */
export const LIVE_TALLY = operation<WebLiveTallySubscription, WebLiveTallySubscriptionVariables>(
  `subscription WebLiveTally($potId: ID!) {
    tallyUpdated(potId: $potId) { potId ballots paperBallots assistedBallots onlineBallots registered lines { proposalId supporters points } } }`,
);
