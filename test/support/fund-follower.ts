import type { INestApplication } from '@nestjs/common';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { fundTopic, LiveUpdates } from '../../apps/api/src/live/live-updates';

/**
 * A subscription following a fund on the API at `node`, opened with a token in its connection
 * params or with these upgrade headers alone (a live page's cookie), returned once the node holds
 * it; and how its socket closed.
 */
export async function followFund(
  node: { app: INestApplication; url: string },
  fundId: string,
  auth: { token: string } | { headers: Record<string, string> },
) {
  const headers = 'headers' in auth ? auth.headers : {};
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url: `${node.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: HeaderSocket,
    connectionParams: 'token' in auth ? { authorization: `Bearer ${auth.token}` } : {},
    retryAttempts: 0,
  });
  const closed = new Promise<{ code: number }>((resolve) => client.on('closed', (event) => resolve(event as { code: number })));
  const live = node.app.get(LiveUpdates);
  const before = live.listeners(fundTopic(fundId));
  client.subscribe(
    { query: 'subscription($f: ID!) { fundChanged(fundId: $f) { phase } }', variables: { f: fundId } },
    { next: () => undefined, error: () => undefined, complete: () => undefined },
  );
  // Waits for the node to hold the subscription (graphql-ws does not acknowledge one).
  while (live.listeners(fundTopic(fundId)) === before) await new Promise((resolve) => setImmediate(resolve));
  return { client, closed };
}
