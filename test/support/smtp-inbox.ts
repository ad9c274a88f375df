import { SMTPServer } from 'smtp-server';

/** A mail as the tests read it: who it went to, and its subject (which carries a sign-in code). */
export interface ReceivedMail {
  readonly to: string[];
  readonly subject: string;
}

/** A real SMTP server (smtp-server, in process, plain on 127.0.0.1) keeping what it receives. */
export async function startSmtpInbox() {
  const mails: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? '' });
        callback();
        waiters.splice(0).forEach((wake) => wake());
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as { port: number }).port,
    mails,
    /** The first mail to `address`, once the server has it. */
    async mailTo(address: string): Promise<ReceivedMail> {
      for (;;) {
        const mail = mails.find((m) => m.to.includes(address));
        if (mail) return mail;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
