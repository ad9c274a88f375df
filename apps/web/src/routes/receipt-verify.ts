import { RECEIPT_PROOF } from '../graphql/verify.operations';
import type { PageContext } from '../web-app';

const FAILURES = [
  'RECEIPT.MALFORMED',
  'RECEIPT.NOT_IN_LOG',
  'RECEIPT.PROOF_PENDING',
  'RECEIPT.PROOF_INVALID',
  'RECEIPT.CHECKPOINT_KEY_MISMATCH',
  'RECEIPT.CHECKPOINT_SIGNATURE_INVALID',
] as const;

/**
 * The receipt page's part for the browser's own check: the proof and checkpoint as the API
 * gives them, the council's audit key with its fingerprint, and every verdict in the
 * resident's language (the script only picks one). Without JavaScript the page shows the
 * server's finding and the CLI command that checks the same receipt offline.
 */
export async function receiptVerifyModel(ctx: PageContext, code: string): Promise<Record<string, unknown>> {
  const answer = await ctx.gql(RECEIPT_PROOF, { receipt: code });
  if (!answer.ok || !answer.data.receipt) return {};
  const { auditKey, receipt } = answer.data;
  const messages: Record<string, string> = { verified: ctx.t('verify.receipt.verified') };
  for (const failure of FAILURES) messages[failure] = ctx.t(`verify.receipt.errors.${failure}`);
  return {
    verify: {
      // Groups of four hex digits, as people read a fingerprint aloud.
      fingerprint: auditKey.keyId
        .replace(/^sha256:/, '')
        .match(/.{1,4}/g)!
        .join(' '),
      publicKeyPem: auditKey.publicKeyPem,
      cli: `npm run -s cli -- audit receipt verify ${code} --public-key audit-public.pem --url ${ctx.req.protocol}://${ctx.req.headers.host ?? 'localhost'}`,
      data: JSON.stringify({ hash: receipt.hash, publicKeyPem: auditKey.publicKeyPem, receipt, messages }).replace(/</g, '\\u003c'),
    },
  };
}
