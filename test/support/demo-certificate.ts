import { seedDemo } from '../../apps/api/src/demo/seed-demo';
import type { startApi } from './api-client';

/** Seeds the demo into a running API and reads its published pot's results certificate, with the audit key that checks it. */
export async function demoCertificate(
  api: Awaited<ReturnType<typeof startApi>>,
): Promise<{ potId: string; file: string; publicKeyPem: string }> {
  const summary = await seedDemo(api.app);
  const { data } = await api.gql(`{ auditKey { publicKeyPem } funds { id pots { id } } }`);
  const potId = data.funds.find((f: { id: string }) => f.id === summary.pastFundId).pots[0].id as string;
  const answer = await api.gql(`query($p: ID!) { resultsCertificate(potId: $p) }`, { p: potId });
  if (answer.errors) throw new Error(`No certificate for the demo's pot: ${JSON.stringify(answer.errors)}`);
  return { potId, file: answer.data.resultsCertificate as string, publicKeyPem: data.auditKey.publicKeyPem as string };
}
