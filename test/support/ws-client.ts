import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Gql } from './api-client';

/** graphql-ws clients on a running API's `/graphql`, all disposed by `disposeAll`. */
export function wsClients(url: string) {
  const clients: Client[] = [];
  const connect = (token?: string) => {
    const client = createClient({
      url: url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };
  /**
   * The first answer to one operation over the WebSocket: its first result, or its refusal as
   * `errors`. A subscription that starts and waits for events does not answer.
   */
  const once = (client: Client, query: string, variables: Record<string, unknown> = {}): Promise<Gql> =>
    new Promise((resolve) => {
      const dispose = client.subscribe(
        { query, variables },
        {
          next: (value) => {
            dispose();
            resolve(value as Gql);
          },
          error: (err) =>
            resolve({
              errors: Array.isArray(err)
                ? err
                : [
                    {
                      message: String((err as { reason?: string }).reason ?? err),
                      extensions: { code: 'SOCKET_CLOSED', closeCode: (err as { code?: number }).code },
                    },
                  ],
            }),
          complete: () => resolve({}),
        },
      );
    });
  const disposeAll = () => Promise.all(clients.map((c) => c.dispose()));
  return { connect, once, disposeAll };
}
