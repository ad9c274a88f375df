import type { Gql } from './api-client';
import { ok } from './voting-fund';

/** Generates the poll cards of a fund (as an administrator with the personal-data permission): each reference's code. */
export async function pollCardsOf(
  api: { gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<Gql> },
  fundId: string,
  admin: string,
): Promise<Map<string, string>> {
  const { csv } = ok(await api.gql('mutation($f: ID!) { generatePollCards(fundId: $f) { csv } }', { f: fundId }, admin)).generatePollCards;
  const rows = (csv as string).trim().split('\n').slice(1);
  return new Map(rows.map((row) => [row.split(',')[0], row.split(',').pop()!]));
}
