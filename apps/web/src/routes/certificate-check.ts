import { CERTIFICATE_FAILURES } from '../../assets/verify/certificate-failures';
import { AUDIT_KEY } from '../graphql/transparency.operations';
import type { PageContext } from '../web-app';

/**
 * The results page's part for checking the results: the bulletin board, the certificate to
 * download, the CLI command that re-runs it offline (what a visitor without JavaScript gets),
 * and what the "Recompute in your browser" script needs: where the certificate is, the
 * council's audit key, and every verdict in the visitor's language.
 */
export async function certificateCheckModel(
  ctx: PageContext,
  fundId: string,
  potId: string,
  proposals: readonly { id: string; title: string; numberText?: string }[],
): Promise<Record<string, unknown>> {
  const base = `/funds/${encodeURIComponent(fundId)}/pots/${encodeURIComponent(potId)}`;
  const key = await ctx.gql(AUDIT_KEY, {});
  const messages: Record<string, string> = {
    checking: ctx.t('certificate.checking'),
    identical: ctx.t('certificate.identical', { ms: '{ms}' }),
    differing: ctx.t('certificate.differing', { ids: '{ids}' }),
  };
  for (const code of CERTIFICATE_FAILURES) messages[code] = ctx.t(`certificate.errors.${code}`);
  const names = Object.fromEntries(proposals.map((p) => [p.id, p.numberText ? `${p.numberText} ${p.title}` : p.title]));
  const origin = `${ctx.req.protocol}://${ctx.req.headers.host ?? 'localhost'}`;
  return {
    board: `${base}/board`,
    certificate: `${base}/certificate.json`,
    cli: `npm run -s cli -- audit certificate verify ${fundId}-${potId}-certificate.json --public-key audit-public.pem`,
    fetchCli: `curl -o ${fundId}-${potId}-certificate.json ${origin}${base}/certificate.json`,
    publicKeyPem: key.ok ? key.data.auditKey.publicKeyPem : '',
    data: key.ok
      ? JSON.stringify({
          certificateUrl: `${base}/certificate.json`,
          publicKeyPem: key.data.auditKey.publicKeyPem,
          messages,
          names,
        }).replace(/</g, '\\u003c')
      : undefined,
  };
}
