import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One e-mail as received, decoded: the envelope's recipients, the subject and the plain text. */
export interface ReceivedMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), adjacent ones joined. */
const decodeWords = (value: string) =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_w, encoding: string, body: string) =>
      encoding.toLowerCase() === 'b' ? Buffer.from(body, 'base64').toString('utf8') : qp(body.replace(/_/g, ' ')),
    );
const qp = (body: string) =>
  Buffer.from(
    body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

/** A single-part text/plain message, as nodemailer writes one. */
export function decodeMail(raw: string, to: readonly string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1] ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? qp(body)
        : Buffer.from(body, 'latin1').toString('utf8');
  return { to, subject: decodeWords(header('Subject')), text: text.replace(/\r\n/g, '\n') };
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server, in process) keeping what it receives; `refuse`
 * makes it answer 451. With `tls` (a key and certificate) it offers STARTTLS and refuses any
 * message not sent over TLS, as a council's relay that requires it would.
 */
export class SmtpInbox {
  readonly mails: ReceivedMail[] = [];
  refuse = false;
  private readonly waiters: (() => void)[] = [];
  private readonly server: SMTPServer;

  constructor(tls?: { key: string | Buffer; cert: string | Buffer }) {
    this.server = new SMTPServer({
      ...(tls ? { key: tls.key, cert: tls.cert, disabledCommands: ['AUTH'] } : { disabledCommands: ['STARTTLS', 'AUTH'] }),
      authOptional: true,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (tls && !session.secure) return callback(new Error('not over TLS'));
          if (this.refuse) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 451 }));
          this.mails.push(
            decodeMail(
              Buffer.concat(chunks).toString('latin1'),
              session.envelope.rcptTo.map((r) => r.address),
            ),
          );
          this.waiters.splice(0).forEach((wake) => wake());
          callback();
        });
      },
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** The settings that send the platform's mail here. */
  env(): Record<string, string> {
    return {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(this.port()),
      SMTP_REQUIRE_TLS: 'false',
      SMTP_FROM: 'Participatory budget <pb@council.example>',
    };
  }

  /** The first mail to `address`, once the server has it. */
  async mailTo(address: string): Promise<ReceivedMail> {
    for (;;) {
      const mail = this.mails.find((m) => m.to.includes(address));
      if (mail) return mail;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A started inbox, for tests that only read what arrives. */
export async function startSmtpInbox() {
  const inbox = new SmtpInbox();
  await inbox.start();
  return {
    port: inbox.port(),
    mails: inbox.mails,
    mailTo: (address: string) => inbox.mailTo(address),
    close: () => inbox.stop(),
  };
}
