import { CliError } from '../../pb/output';

/**
 * A GraphQL query to the platform's public API (no sign-in): what the receipt and witness
 * commands ask. A network failure or a GraphQL error is `AUDIT.API_UNREACHABLE` / the server's code.
 */
export async function publicQuery<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const endpoint = new URL('/graphql', url).toString();
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    body = (await res.json()) as typeof body;
  } catch (err) {
    throw new CliError('AUDIT.API_UNREACHABLE', `Could not query ${endpoint}: ${(err as Error).message}`);
  }
  if (body.errors?.length) throw new CliError(body.errors[0].extensions?.code ?? 'AUDIT.API_ERROR', body.errors[0].message);
  return body.data as T;
}

/** The fields of a signed checkpoint as the API publishes them (`SignedCheckpoint`). */
export const CHECKPOINT_FIELDS =
  'eventId position sequence upToPosition eventCount merkleRoot previousCheckpointHash reason keyId signature signedText';

/** The receipt check, with everything an offline verification needs: keep its answer as a proof file. */
export const RECEIPT_QUERY = `query($r: String!) { receipt(receipt: $r) {
  position hash code proofStatus
  proof { leafIndex treeSize auditPath }
  checkpoint { ${CHECKPOINT_FIELDS} }
  standing { status reason potId } } }`;
