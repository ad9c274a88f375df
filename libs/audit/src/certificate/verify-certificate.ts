import type { KeyObject } from 'node:crypto';
import { checkPublishedCheckpoint } from '../receipt/published-checkpoint';
import { keyIdOf } from '../signing/signing-key';
import { CERTIFICATE_CONTEXT } from './certificate';
import { certificateFailure as fail, readCertificate, recomputeCertificate, type CertificateVerdict } from './recompute-certificate';
import { certificateSignatureValid } from './results-certificate';

export * from './recompute-certificate';

/**
 * Checks a results certificate from the file alone: its signature by `publicKey` in the
 * certificate context, then everything `recomputeCertificate` re-runs (pabulib file, ballots,
 * the rule, every line, the tie-break order, the total), and the covering checkpoint's signature.
 */
export function verifyResultsCertificate(fileText: string, publicKey: KeyObject): CertificateVerdict {
  const signed = readCertificate(fileText);
  if ('ok' in signed) return signed;
  if (signed.signature.keyId !== keyIdOf(publicKey))
    return fail('CERTIFICATE.KEY_MISMATCH', `The certificate is signed by ${signed.signature.keyId}, not by the given key.`);
  if (signed.signature.context !== CERTIFICATE_CONTEXT || !certificateSignatureValid(signed, publicKey))
    return fail('CERTIFICATE.SIGNATURE_INVALID', 'The certificate’s signature does not verify with the given key.');
  const verdict = recomputeCertificate(signed, () => Number(process.hrtime.bigint()) / 1e6);
  if (verdict.ok && !checkPublishedCheckpoint(signed.certificate.checkpoint, publicKey).ok)
    return fail('CERTIFICATE.CHECKPOINT_INVALID', 'The covering checkpoint’s signature does not verify with the given key.');
  return verdict;
}
