import { hash, sign, type KeyObject } from 'node:crypto';
import { toPabulib, type Election } from '@civic/allocation';
import type { JsonObject } from '@civic/event-store';
import { canonicalJson } from '../hash/canonical-json';
import { keyIdOf, verifyText, type SigningKey } from '../signing/signing-key';
import { CERTIFICATE_CONTEXT, certificateSignedText, type ResultsCertificate, type SignedResultsCertificate } from './certificate';

export * from './certificate';

/** The pabulib file of a certified election, and its digest. */
export function certifiedPabulib(election: Election, meta: Record<string, string>): { sha256: string; text: string } {
  const text = toPabulib(election, meta);
  return { sha256: hash('sha256', text, 'hex'), text };
}

export function signResultsCertificate(certificate: ResultsCertificate, key: SigningKey): SignedResultsCertificate {
  const value = sign(null, Buffer.from(certificateSignedText(certificate), 'utf8'), key.privateKey).toString('base64');
  return { certificate, signature: { context: CERTIFICATE_CONTEXT, keyId: key.keyId, value } };
}

/** The certificate file: canonical JSON. */
export function certificateFile(signed: SignedResultsCertificate): string {
  return canonicalJson(signed as unknown as JsonObject);
}

/** True when the signature is the audit key's over this certificate, in the certificate's context. */
export function certificateSignatureValid(signed: SignedResultsCertificate, publicKey: KeyObject): boolean {
  return (
    signed.signature?.keyId === keyIdOf(publicKey) &&
    verifyText(publicKey, certificateSignedText(signed.certificate), signed.signature.value)
  );
}
