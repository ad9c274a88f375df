import { generateKeyPairSync } from 'node:crypto';
import { loadSigningKey, publicKeyPem, type SigningKey } from '../signing/signing-key';

/** A fresh Ed25519 key, as the config would hold it (PKCS#8 PEM). */
export function testSigningKey(): SigningKey & { privatePem: string; publicPem: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = loadSigningKey(privatePem);
  return { ...key, privatePem, publicPem: publicKeyPem(key.publicKey) };
}
