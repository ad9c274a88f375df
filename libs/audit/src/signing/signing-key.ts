import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** An Ed25519 key pair as the Checkpointer uses it; `keyId` names the public key in every checkpoint. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

/** Raised for a key that is not an Ed25519 key in a form this tool reads. Never echoes the key. */
export class SigningKeyError extends Error {
  readonly code = 'AUDIT.SIGNING_KEY_INVALID';
  constructor(detail: string) {
    super(`The audit signing key is unusable: ${detail}`);
    this.name = 'SigningKeyError';
  }
}

/**
 * Reads an Ed25519 private key given as PEM (PKCS#8) or as base64 of its DER (PKCS#8), the
 * two forms that fit in an environment variable.
 */
export function loadSigningKey(pemOrBase64: string): SigningKey {
  const text = pemOrBase64.trim();
  let privateKey: KeyObject;
  try {
    privateKey = text.startsWith('-----BEGIN')
      ? createPrivateKey({ key: text, format: 'pem' })
      : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new SigningKeyError('expected an Ed25519 private key as PKCS#8 PEM or base64 DER');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`expected an Ed25519 key, got ${privateKey.asymmetricKeyType ?? 'a symmetric key'}`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** Reads an Ed25519 public key from PEM (SPKI), as the API publishes it. */
export function loadPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem.trim(), format: 'pem' });
  } catch {
    throw new SigningKeyError('expected an Ed25519 public key as SPKI PEM');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return key;
}

/** The PEM an API publishes so that anyone can check checkpoint signatures. */
export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** `sha256:<hex>` of the public key's DER (SPKI): stable, and short enough to print. */
export function keyIdOf(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

/** Ed25519 signature, base64. */
export function signText(key: SigningKey, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
}

export function verifyText(publicKey: KeyObject, text: string, signatureBase64: string): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
