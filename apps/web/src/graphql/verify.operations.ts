import { operation } from './operation';

/** What the receipt page hands the browser to check itself: the proof, its checkpoint and the council's audit key. */
export const RECEIPT_PROOF = operation<
  {
    auditKey: { keyId: string; publicKeyPem: string };
    receipt: {
      hash: string;
      proof: { leafIndex: number; treeSize: number; auditPath: string[] } | null;
      checkpoint: {
        sequence: number;
        eventCount: number;
        merkleRoot: string;
        keyId: string;
        signature: string;
        signedText: string;
      } | null;
    } | null;
  },
  { receipt: string }
>(
  `query WebReceiptProof($receipt: String!) { auditKey { keyId publicKeyPem } receipt(receipt: $receipt) { hash proof { leafIndex treeSize auditPath } checkpoint { sequence eventCount merkleRoot keyId signature signedText } } }`,
);
