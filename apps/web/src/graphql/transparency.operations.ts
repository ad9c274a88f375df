import type {
  WebAuditKeyQuery,
  WebBoardFilesQuery,
  WebBoardFilesQueryVariables,
  WebBoardPageQuery,
  WebBoardPageQueryVariables,
  WebCertificateQuery,
  WebCertificateQueryVariables,
  WebOpenResultsQuery,
  WebOpenResultsQueryVariables,
} from './generated';
import { operation } from './operation';

export type BoardPage = WebBoardPageQuery['bulletinBoard'];
/** Linked: `receipt` is the receipt hash; unlinked: the ballot's number on the board. */
export type BoardBallot = BoardPage['ballots'][number];

/** One page of a pot's public bulletin board (the API refuses it before publication). */
export const BOARD_PAGE = operation<WebBoardPageQuery, WebBoardPageQueryVariables>(
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
export const BOARD_FILES = operation<WebBoardFilesQuery, WebBoardFilesQueryVariables>(
  `query WebBoardFiles($potId: ID!) { bulletinBoard(potId: $potId, first: 1, offset: 0) { pabulib csv receiptsCsv } }`,
);

/** A pot's signed results certificate (RFC 8785 JSON) and the key that checks it. */
export const CERTIFICATE = operation<WebCertificateQuery, WebCertificateQueryVariables>(
  `query WebCertificate($potId: ID!) { resultsCertificate(potId: $potId) auditKey { keyId publicKeyPem } }`,
);

/** The audit key alone (the results page offers the certificate without building it). */
export const AUDIT_KEY = operation<WebAuditKeyQuery>(`query WebAuditKey { auditKey { keyId publicKeyPem } }`);

/** A pot's allocation as the open data feed gives it (its tally is read only once this says published). */
export const OPEN_RESULTS = operation<WebOpenResultsQuery, WebOpenResultsQueryVariables>(
  `query WebOpenResults($potId: ID!) { results(potId: $potId) { status rule budget totalCost ballotCount lines { proposalId funded amount } } }`,
);
