import { operation } from './operation';

export interface BoardBallot {
  /** Linked: the receipt hash; unlinked: the ballot's number on the board. */
  receipt: string;
  proposalIds: string[] | null;
  points: { proposalId: string; points: number }[] | null;
  channel: string;
  batchId: string | null;
}

export interface BoardPage {
  potId: string;
  publication: 'linked' | 'unlinked';
  ballotCount: number;
  matching: number;
  ballots: BoardBallot[];
  countedReceipts: string[];
  voided: { receipt: string; reason: string }[];
  paperBatches: {
    batchId: string;
    location: string;
    collectedAt: string;
    scanReference: string;
    entries: number;
    counted: number;
    corrections: number;
  }[];
}

/** One page of a pot's public bulletin board (the API refuses it before publication). */
export const BOARD_PAGE = operation<{ bulletinBoard: BoardPage }, { potId: string; first: number; offset: number; receipt?: string }>(
  `query WebBoardPage($potId: ID!, $first: Int!, $offset: Int!, $receipt: String) {
    bulletinBoard(potId: $potId, first: $first, offset: $offset, receipt: $receipt) {
      potId publication ballotCount matching
      ballots { receipt proposalIds points { proposalId points } channel batchId }
      countedReceipts
      voided { receipt reason }
      paperBatches { batchId location collectedAt scanReference entries counted corrections }
    }
  }`,
);

/** The board's files: the pabulib file, the marks as CSV, the counted receipts as CSV. */
export const BOARD_FILES = operation<{ bulletinBoard: { pabulib: string; csv: string; receiptsCsv: string } }, { potId: string }>(
  `query WebBoardFiles($potId: ID!) { bulletinBoard(potId: $potId, first: 1, offset: 0) { pabulib csv receiptsCsv } }`,
);

/** A pot's signed results certificate (RFC 8785 JSON) and the key that checks it. */
export const CERTIFICATE = operation<{ resultsCertificate: string; auditKey: { keyId: string; publicKeyPem: string } }, { potId: string }>(
  `query WebCertificate($potId: ID!) { resultsCertificate(potId: $potId) auditKey { keyId publicKeyPem } }`,
);

/** The audit key alone (the results page offers the certificate without building it). */
export const AUDIT_KEY = operation<{ auditKey: { keyId: string; publicKeyPem: string } }>(
  `query WebAuditKey { auditKey { keyId publicKeyPem } }`,
);

/** A pot's allocation as the open data feed gives it (its tally is read only once this says published). */
export const OPEN_RESULTS = operation<
  {
    results: {
      status: string;
      rule: string | null;
      budget: string | null;
      totalCost: string | null;
      ballotCount: number | null;
      lines: { proposalId: string; funded: boolean; amount: string }[];
    };
  },
  { potId: string }
>(
  `query WebOpenResults($potId: ID!) { results(potId: $potId) { status rule budget totalCost ballotCount lines { proposalId funded amount } } }`,
);
