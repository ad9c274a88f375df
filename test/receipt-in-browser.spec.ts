import { buildSync } from 'esbuild';
import { InMemoryEventStore } from '@civic/event-store';
import { ev, readEverything } from '@civic/event-store/testing';
import {
  buildInclusionProof,
  ChainedEventStore,
  CHECKPOINT_STREAM,
  Checkpointer,
  MerkleIndex,
  publishCheckpoint,
  splitChain,
  verifyReceiptProof,
  type CheckpointData,
} from '@civic/audit';
import { testSigningKey } from '../libs/audit/src/testing/test-keys';
import { generateKeyPairSync } from 'node:crypto';

// The module exactly as the browser gets it: bundled by esbuild (with @noble/ed25519 and json-canonicalize).
const bundle = buildSync({
  entryPoints: [`${__dirname}/../apps/web/assets/verify/proof.ts`],
  bundle: true,
  write: false,
  format: 'cjs',
  platform: 'neutral',
  mainFields: ['module', 'main'],
}).outputFiles[0].text;
const mod = { exports: {} as typeof import('../apps/web/assets/verify/proof') };
new Function('module', 'exports', bundle)(mod, mod.exports);
const { verifyReceiptInBrowser } = mod.exports;

const key = testSigningKey();
const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

async function provenHistory() {
  const store = new ChainedEventStore(new InMemoryEventStore());
  const index = MerkleIndex.open(':memory:');
  for (let i = 0; i < 23; i++) await store.append(`ballot-p-${i}`, [ev('BallotCast')]);
  const sut = new Checkpointer({ store, key, index, interval: 10 });
  await sut.catchUp();
  await sut.checkpointNow();
  const [last] = await store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 });
  const checkpoint = last.data as unknown as CheckpointData;
  const events = await readEverything(store);
  const proofOf = (ordinal: number) =>
    JSON.parse(
      JSON.stringify({
        position: events[ordinal].position,
        hash: splitChain(events[ordinal].metadata).link!.hash,
        proof: buildInclusionProof(index, ordinal, checkpoint),
        checkpoint: publishCheckpoint(checkpoint, last),
      }),
    );
  return { proofOf, index, checkpoint };
}

describe('the receipt check in the browser', () => {
  it('accepts every covered event as the audit library does, with WebCrypto and with the @noble/ed25519 fallback', async () => {
    const { proofOf, checkpoint, index } = await provenHistory();
    for (let i = 0; i < checkpoint.eventCount; i++) {
      const p = proofOf(i);
      expect(verifyReceiptProof(p, key.publicKey, p.hash).ok).toBe(true);
      expect(await verifyReceiptInBrowser(p, pem, p.hash)).toMatchObject({ ok: true, leafIndex: i, ed25519: 'webcrypto' });
    }
    expect(await verifyReceiptInBrowser(proofOf(5), pem, proofOf(5).hash, 'noble')).toMatchObject({ ok: true, ed25519: 'noble' });
    index.close();
  });

  it('fails an altered path, another event, another key, a forged signature and a pending proof with the CLI’s codes', async () => {
    const { proofOf, index } = await provenHistory();
    const good = proofOf(7);
    const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
    const code = async (p: unknown, publicKey = pem, force?: 'noble') => {
      const v = await verifyReceiptInBrowser(p as never, publicKey, (p as { hash?: string } | null)?.hash ?? good.hash, force);
      return v.ok ? 'ok' : v.code;
    };
    const altered = {
      ...good,
      proof: { ...good.proof, auditPath: good.proof.auditPath.map((h: string, i: number) => (i === 1 ? flip(h) : h)) },
    };
    expect(await code(altered)).toBe('RECEIPT.PROOF_INVALID');
    expect(await code({ ...good, proof: { ...good.proof, leafIndex: 8 } })).toBe('RECEIPT.PROOF_INVALID');
    expect(await code({ ...good, hash: proofOf(8).hash })).toBe('RECEIPT.PROOF_INVALID');
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await code(good, other)).toBe('RECEIPT.CHECKPOINT_KEY_MISMATCH');
    const forged = { ...good, checkpoint: { ...good.checkpoint, signature: Buffer.alloc(64, 1).toString('base64') } };
    expect(await code(forged)).toBe('RECEIPT.CHECKPOINT_SIGNATURE_INVALID');
    expect(await code(forged, pem, 'noble')).toBe('RECEIPT.CHECKPOINT_SIGNATURE_INVALID');
    const rooted = { ...good, checkpoint: { ...good.checkpoint, merkleRoot: flip(good.checkpoint.merkleRoot) } };
    expect(await code(rooted)).toBe('RECEIPT.CHECKPOINT_SIGNATURE_INVALID');
    expect(await code({ ...good, proof: null, checkpoint: null })).toBe('RECEIPT.PROOF_PENDING');
    expect(await code(null)).toBe('RECEIPT.NOT_IN_LOG');
    // Each failure is what the audit library says of the same proof.
    expect(verifyReceiptProof(altered, key.publicKey)).toMatchObject({ ok: false, code: 'RECEIPT.PROOF_INVALID' });
    index.close();
  });
});
