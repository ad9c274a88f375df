import { InMemoryEventStore } from '@civic/event-store';
import { ev, readEverything } from '@civic/event-store/testing';
import { ChainedEventStore } from '../chain/chained-event-store';
import { CHECKPOINT_STREAM, type CheckpointData } from '../checkpoint/checkpoint';
import { Checkpointer } from '../checkpoint/checkpointer';
import { splitChain } from '../hash/event-hash';
import { MerkleIndex } from '../merkle/merkle-index';
import { testSigningKey } from '../testing/test-keys';
import { publishCheckpoint } from './published-checkpoint';
import { buildInclusionProof, verifyReceiptProof, type ReceiptProofData } from './receipt-proof';

const key = testSigningKey();

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
  const proofOf = (ordinal: number): ReceiptProofData => ({
    position: events[ordinal].position,
    hash: splitChain(events[ordinal].metadata).link!.hash,
    proof: buildInclusionProof(index, ordinal, checkpoint),
    checkpoint: publishCheckpoint(checkpoint, last),
  });
  return { proofOf, index, checkpoint };
}

describe(verifyReceiptProof.name, () => {
  it('accepts the proof of every event the checkpoint covers', async () => {
    const { proofOf, checkpoint, index } = await provenHistory();
    for (let i = 0; i < checkpoint.eventCount; i++) {
      expect(verifyReceiptProof(proofOf(i), key.publicKey, proofOf(i).hash)).toMatchObject({
        ok: true,
        leafIndex: i,
        treeSize: checkpoint.eventCount,
      });
    }
    // What the API and the CLI pass around is JSON: the same after a round trip.
    expect(verifyReceiptProof(JSON.parse(JSON.stringify(proofOf(4))), key.publicKey)).toMatchObject({ ok: true });
    index.close();
  });

  it('fails an altered path, another event, another key, a forged signature and a signed text that is not the fields', async () => {
    const { proofOf, index } = await provenHistory();
    const good = proofOf(7);
    const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
    const code = (p: unknown, expected?: string, publicKey = key.publicKey) => {
      const verdict = verifyReceiptProof(p, publicKey, expected);
      return verdict.ok ? 'ok' : verdict.code;
    };
    expect(code({ ...good, proof: { ...good.proof, auditPath: good.proof.auditPath.map((h, i) => (i === 1 ? flip(h) : h)) } })).toBe(
      'RECEIPT.PROOF_INVALID',
    );
    expect(code({ ...good, proof: { ...good.proof, leafIndex: 8 } })).toBe('RECEIPT.PROOF_INVALID');
    expect(code({ ...good, hash: proofOf(8).hash })).toBe('RECEIPT.PROOF_INVALID');
    expect(code(good, proofOf(8).hash)).toBe('RECEIPT.PROOF_MISMATCH');
    expect(code(good, undefined, testSigningKey().publicKey)).toBe('RECEIPT.CHECKPOINT_KEY_MISMATCH');
    const other = testSigningKey();
    const forgedText = good.checkpoint.signedText.replace(key.keyId, other.keyId);
    expect(
      code({ ...good, checkpoint: { ...good.checkpoint, signedText: forgedText, keyId: other.keyId } }, undefined, other.publicKey),
    ).toBe('RECEIPT.CHECKPOINT_SIGNATURE_INVALID');
    const rooted = good.checkpoint.signedText.replace(good.checkpoint.merkleRoot, flip(good.checkpoint.merkleRoot));
    expect(code({ ...good, checkpoint: { ...good.checkpoint, signedText: rooted } })).toBe('RECEIPT.CHECKPOINT_SIGNATURE_INVALID');
    expect(code({ ...good, checkpoint: { ...good.checkpoint, merkleRoot: flip(good.checkpoint.merkleRoot) } })).toBe(
      'RECEIPT.CHECKPOINT_SIGNATURE_INVALID',
    );
    expect(code({ ...good, checkpoint: undefined, proof: undefined })).toBe('RECEIPT.PROOF_PENDING');
    expect(code({ hash: 'nope' })).toBe('RECEIPT.MALFORMED');
    index.close();
  });
});
