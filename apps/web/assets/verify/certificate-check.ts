/**
 * A results certificate re-run in the browser, from the file alone: its Ed25519 signature under
 * the certificate context and its covering checkpoint's (WebCrypto, @noble/ed25519 as the
 * fallback), then the allocation library's browser entry re-runs the rule on the certificate's
 * pabulib ballots, through the very code the CLI's `audit certificate verify` runs
 * (libs/audit/src/certificate/recompute-certificate.ts, pure). Loaded only when asked.
 */
import {
  readCertificate,
  recomputeCertificate,
  type CertificateVerdict,
} from '../../../../libs/audit/src/certificate/recompute-certificate';
import { CERTIFICATE_CONTEXT, certificateSignedText } from '../../../../libs/audit/src/certificate/certificate';
import { base64ToBytes, checkCheckpointInBrowser, keyIdOf, spkiOf, verifyEd25519 } from './proof';

export { allocate, parsePabulib } from '../../../../libs/allocation/src/browser';
export { certifiedElection } from '../../../../libs/audit/src/certificate/certificate';
export { recomputeCertificate, readCertificate };

const fail = (code: Extract<CertificateVerdict, { ok: false }>['code'], message: string): CertificateVerdict => ({
  ok: false,
  code,
  message,
});

/** Checks a certificate file against the council's audit key (PEM), as `audit certificate verify` does. */
export async function verifyCertificateInBrowser(
  fileText: string,
  publicKeyPem: string,
  force?: 'noble',
): Promise<CertificateVerdict & { ed25519?: 'webcrypto' | 'noble' }> {
  const signed = readCertificate(fileText);
  if ('ok' in signed) return signed;
  const spki = spkiOf(publicKeyPem);
  if (signed.signature.keyId !== (await keyIdOf(spki)))
    return fail('CERTIFICATE.KEY_MISMATCH', `The certificate is signed by ${signed.signature.keyId}, not by the given key.`);
  const message = new TextEncoder().encode(certificateSignedText(signed.certificate));
  let signature: Uint8Array;
  try {
    signature = base64ToBytes(signed.signature.value);
  } catch {
    return fail('CERTIFICATE.SIGNATURE_INVALID', 'The certificate’s signature is not base64.');
  }
  const checked = await verifyEd25519(spki, message, signature, force);
  if (signed.signature.context !== CERTIFICATE_CONTEXT || !checked.valid)
    return fail('CERTIFICATE.SIGNATURE_INVALID', 'The certificate’s signature does not verify with the given key.');
  const verdict = recomputeCertificate(signed, () => performance.now());
  if (!verdict.ok) return verdict;
  const checkpoint = signed.certificate.checkpoint;
  if (!checkpoint || !(await checkCheckpointInBrowser(checkpoint, spki, force)).ok)
    return fail('CERTIFICATE.CHECKPOINT_INVALID', 'The covering checkpoint’s signature does not verify with the given key.');
  return { ...verdict, ed25519: checked.via };
}
