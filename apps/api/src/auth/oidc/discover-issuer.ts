/** The parts of an OpenID provider's metadata the bearer-token check needs. */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly jwks_uri: string;
}

/**
 * The provider's metadata from its discovery document (OpenID Connect Discovery 1.0 §4), read
 * without openid-client, which only the browser sign-in loads. Its `issuer` must be the one
 * configured, as §4.3 requires.
 */
export async function discoverIssuer(issuer: string): Promise<IssuerMetadata> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`OpenID discovery at ${url} answered ${res.status}`);
  const metadata = (await res.json()) as Partial<IssuerMetadata>;
  if (metadata.issuer !== issuer) throw new Error(`OpenID discovery at ${url} names issuer ${String(metadata.issuer)}, not ${issuer}`);
  if (typeof metadata.jwks_uri !== 'string') throw new Error(`OpenID discovery at ${url} has no jwks_uri`);
  return metadata as IssuerMetadata;
}
