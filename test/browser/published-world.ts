import type { Browser } from 'playwright-core';
import type { AuditTrail } from '../../apps/api/src/audit-log/audit-trail';
import { AUDIT_TRAIL } from '../../apps/api/src/tokens';
import { startWeb } from '../web/web-client';
import { buildWebWorld, type WebWorld } from '../web/web-world';
import { launchChromium } from './browser';

/**
 * The web app with its world and a browser, for the journeys that check a published pot: the
 * receipt code of a resident whose ballot counted there (cast through the API while voting was
 * open), and a signed checkpoint covering everything so far.
 */
export async function startPublishedWorld(): Promise<{
  api: Awaited<ReturnType<typeof startWeb>>;
  browser: Browser;
  world: WebWorld;
  code: string;
}> {
  const [api, browser] = await Promise.all([startWeb(), launchChromium()]);
  const world = await buildWebWorld(api);
  const mine = await api.gql(
    `query($f: ID!, $p: ID!) { myBallot(fundId: $f, potId: $p) { receipt { code } } }`,
    { f: world.published.fundId, p: world.published.pot },
    await api.signIn('resident', world.residents[0]),
  );
  await api.app.get<AuditTrail>(AUDIT_TRAIL).checkpointer.checkpointNow();
  return { api, browser, world, code: mine.data.myBallot.receipt.code };
}
