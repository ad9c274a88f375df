import { generateKeyPairSync } from 'node:crypto';
import { checkpointSignatureValid, signCheckpoint, type CheckpointBody } from '../checkpoint/checkpoint';
import { testSigningKey } from '../testing/test-keys';
import { keyIdOf, loadPublicKey, loadSigningKey, SigningKeyError } from './signing-key';

const body = (keyId: string): CheckpointBody => ({
  sequence: 0,
  upToPosition: '12',
  eventCount: 12,
  merkleRoot: 'ab'.repeat(32),
  previousCheckpointHash: null,
  reason: 'interval',
  keyId,
  frontier: [null, null, 'ab'.repeat(32), 'cd'.repeat(32)],
});

describe(loadSigningKey.name, () => {
  it('reads PEM and base64 DER, and names the key by its fingerprint', () => {
    const key = testSigningKey();
    const der = key.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    expect(loadSigningKey(der).keyId).toBe(key.keyId);
    expect(key.keyId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(keyIdOf(loadPublicKey(key.publicPem))).toBe(key.keyId);
  });

  it('refuses what is not an Ed25519 private key, without echoing it', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadSigningKey(rsa)).toThrow(SigningKeyError);
    expect(() => loadSigningKey('secret-garbage')).toThrow(/Ed25519/);
    try {
      loadSigningKey('secret-garbage');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-garbage');
    }
  });
});

describe(signCheckpoint.name, () => {
  it('signs the canonical form of every other field; any change or another key fails', () => {
    const key = testSigningKey();
    const signed = signCheckpoint(body(key.keyId), key);
    expect(checkpointSignatureValid(signed, key.publicKey)).toBe(true);
    expect(checkpointSignatureValid({ ...signed, eventCount: 13 }, key.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...signed, merkleRoot: 'cd'.repeat(32) }, key.publicKey)).toBe(false);
    expect(checkpointSignatureValid(signed, testSigningKey().publicKey)).toBe(false);
    // Key order does not matter: the signature is over RFC 8785 text.
    const reordered = Object.fromEntries(Object.entries(signed).reverse()) as typeof signed;
    expect(checkpointSignatureValid(reordered, key.publicKey)).toBe(true);
  });
});
