import { randomBytes } from 'node:crypto';
import { loadPublicKey, verifyReceiptProof } from '@civic/audit';
import type { AuditTrail } from '../apps/api/src/audit-log/audit-trail';
import { AUDIT_TRAIL } from '../apps/api/src/tokens';
import { RECEIPT_QUERY } from '../apps/cli/src/audit/shared/public-api';
import { startApi } from './support/api-client';
import { dropDeployment } from './support/postgres-schemas';
import { ok, votingFund } from './support/voting-fund';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `test_receipts_${randomBytes(4).toString('hex')}`;

describe('receipts on PostgreSQL, whose positions have gaps', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi({ EVENT_STORE: 'postgres', DATABASE_URL, DATABASE_SCHEMA: schema });
  });
  afterAll(async () => {
    await api.stop();
    await dropDeployment(DATABASE_URL, schema);
  });

  it('proves a receipt with the event’s ordinal in the history as its leaf, whatever its position', async () => {
    const f = await votingFund(api, ['TH-520001', 'TH-520002']);
    const CAST = `mutation($f: ID!, $p: ID!, $c: BallotContentInput!) { castBallot(fundId: $f, potId: $p, content: $c) { position hash code } }`;
    const vars = { f: f.fundId, p: f.potId, c: { proposalIds: [f.proposals[0]] } };
    // Twenty casts at once by one resident: one is written, the others lose their race (and may burn positions).
    await Promise.all(Array.from({ length: 20 }, () => api.gql(CAST, vars, f.tokens['TH-520001'])));
    const receipt = ok(await api.gql(CAST, vars, f.tokens['TH-520002'])).castBallot;
    await api.app.get<AuditTrail>(AUDIT_TRAIL).checkpointer.checkpointNow();
    const answer = ok(await api.gql(RECEIPT_QUERY, { r: receipt.code })).receipt;
    expect(answer).toMatchObject({ ...receipt, proofStatus: 'included' });
    const auditor = await api.signIn('auditor', 'auditor-1');
    const history = ok(await api.gql(`{ auditLog(first: 500) { events { position } } }`, {}, auditor)).auditLog.events as {
      position: string;
    }[];
    expect(answer.proof.leafIndex).toBe(history.findIndex((e) => e.position === receipt.position));
    const publicKey = loadPublicKey(ok(await api.gql(`{ auditKey { publicKeyPem } }`)).auditKey.publicKeyPem);
    expect(verifyReceiptProof(answer, publicKey, receipt.hash)).toMatchObject({ ok: true });
  }, 60_000);
});
