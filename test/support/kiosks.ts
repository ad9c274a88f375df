import type { Gql } from './api-client';
import { ok } from './voting-fund';

/** Switches a device to kiosk mode for a fund at a place (as an officer): its device token and the kiosk. */
export async function startKiosk(
  api: { gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<Gql> },
  fundId: string,
  place: string,
  officer: string,
): Promise<{ device: string; kiosk: { kioskId: string; fundId: string; place: string; startedAt: string } }> {
  return ok(
    await api.gql(
      'mutation($f: ID!, $p: String!) { startKiosk(fundId: $f, place: $p) { device kiosk { kioskId fundId place startedAt } } }',
      { f: fundId, p: place },
      officer,
    ),
  ).startKiosk;
}
