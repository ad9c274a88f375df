import { operation } from './operation';
import type { WebReceiptProofQuery, WebReceiptProofQueryVariables } from './generated';

/** What the receipt page hands the browser to check itself: the proof, its checkpoint and the council's audit key. */
export const RECEIPT_PROOF = operation<WebReceiptProofQuery, WebReceiptProofQueryVariables>(
  `query WebReceiptProof($receipt: String!) { auditKey { keyId publicKeyPem } receipt(receipt: $receipt) { hash proof { leafIndex treeSize auditPath } checkpoint { sequence eventCount merkleRoot keyId signature signedText } } }`,
);
