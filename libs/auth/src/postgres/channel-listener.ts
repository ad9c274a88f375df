import { Client } from 'pg';

/**
 * One dedicated connection that LISTENs on a channel and hands each notification's payload to
 * `onPayload`, from this process or any other. A dropped connection is opened again a moment
 * later; what was notified meanwhile is lost (the caller has a slower way to find it).
 */
export class ChannelListener {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly reconnectDelayMs = 1000,
  ) {}

  /** Resolves once listening; when the first connection fails, it keeps trying in the background. */
  async start(): Promise<void> {
    await this.connect().catch(() => this.reconnectLater());
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString });
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    client.on('notification', (msg) => {
      if (msg.channel === this.channel && msg.payload) this.onPayload(msg.payload);
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
    this.retry = setTimeout(() => void this.connect().catch(() => this.reconnectLater()), this.reconnectDelayMs);
    this.retry.unref();
  }
}
