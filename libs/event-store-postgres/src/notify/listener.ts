import { Client, type ClientConfig } from 'pg';

/**
 * One dedicated connection that LISTENs on the store's channel and calls `onNotify` for every
 * commit, from this process or any other. If the connection drops it reconnects, calling
 * `onNotify` once reconnected (events may have been committed while it was down); subscribers
 * also poll as a fallback, so a lost notification only delays them.
 */
export class NotificationListener {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
    private readonly onNotify: () => void,
    private readonly reconnectDelayMs = 1000,
  ) {}

  /** Whether the LISTEN connection is up (false while it reconnects). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    const client = new Client(this.config);
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.onNotify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) await client.end().catch(() => undefined);
    else this.client = client;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private dropped(client: Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => {
      this.start().then(
        () => this.onNotify(),
        () => this.reconnectLater(),
      );
    }, this.reconnectDelayMs);
    this.retry.unref();
  }
}
