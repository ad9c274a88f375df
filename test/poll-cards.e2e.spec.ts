import { openSchedule, startApi } from './support/api-client';

/**
 * Printed voting codes ("poll cards"): generated per verified resident for a fund by an
 * administrator who holds the personal-data permission, exported once as a CSV for the mailing
 * house (each opening recorded), and used with the register reference to sign in.
 */
// Each start of the API takes seconds on a loaded machine.
jest.setTimeout(60_000);
type Api = Awaited<ReturnType<typeof startApi>>;
const codeOf = (res: { errors?: { extensions: { code: string } }[] }) => res.errors?.[0]?.extensions.code;
const clock = { at: Date.UTC(2030, 5, 1, 9), now: () => clock.at };

const RESIDENTS = [
  ['PC-000001', 'Bow East', '1980-01-01', '"Ahmed, Rahima"', '1 Roman Rd'],
  ['PC-000002', 'Bow East', '1981-01-01', '=HYPERLINK(1)', '2 Roman Rd'],
  ['PC-000003', 'Bow West', '1982-01-01', 'Cat', '3 Roman Rd'],
];

let api: Api;
let exporter: string;
let fundId: string;

/** The CSV's rows as objects (RFC 4180 quotes are enough for what the test puts in). */
function rowsOf(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trim().split('\n');
  const cells = (line: string) =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1].replace(/^"|"$/g, '').replaceAll('""', '"')).slice(0, 5);
  return lines.map((line) => Object.fromEntries(header.split(',').map((key, i) => [key, cells(line)[i]])));
}
const generate = (token: string) => api.gql(`mutation($f: ID!) { generatePollCards(fundId: $f) { csv residents } }`, { f: fundId }, token);
const signIn = (reference: string, code: string) =>
  api.gql('mutation($r: String!, $c: String!) { signInWithPollCard(reference: $r, code: $c) { token subject } }', {
    r: reference,
    c: code,
  });

beforeAll(async () => {
  api = await startApi(
    { RESIDENT_SIGN_IN_POLL_CARD: 'true', PERSONAL_DATA_EXPORTERS: 'admin-1', RATE_LIMIT_PER_MINUTE: '100000' },
    { authClock: clock },
  );
  exporter = await api.signIn('administrator', 'admin-1');
  const csv = ['reference,ward,date_of_birth,name,address', ...RESIDENTS.map((r) => r.join(','))].join('\n');
  expect(
    (await api.gql('mutation($csv: String!) { importRegister(csv: $csv) { imported } }', { csv }, exporter)).data.importRegister.imported,
  ).toBe(3);
  const created = await api.gql(
    'mutation($input: CreateFundInput!) { createFund(input: $input) { fund { id } } }',
    { input: { name: 'Bow Fund 2030', description: 'D', schedule: openSchedule() } },
    exporter,
  );
  fundId = created.data.createFund.fund.id;
});
afterAll(() => api.stop());

describe('poll cards', () => {
  let cards: Record<string, string>[];

  it('opening personal data is a permission of its own: an administrator without it is refused, and nothing is recorded', async () => {
    const other = await api.signIn('administrator', 'admin-2');
    expect(codeOf(await generate(other))).toBe('AUTH.FORBIDDEN');
    const auditor = await api.signIn('auditor', 'aud-1');
    const log = await api.gql('{ auditLog(first: 50, streamCategory: "pollCards") { events { type } } }', {}, auditor);
    expect(log.data.auditLog.events).toEqual([]);
  });

  it('generates a long code per verified resident, exported once as a CSV with names and addresses; the opening is recorded', async () => {
    const res = await generate(exporter);
    expect(res.data.generatePollCards.residents).toBe(3);
    cards = rowsOf(res.data.generatePollCards.csv);
    expect(cards.map((c) => [c.reference, c.name, c.address, c.fund])).toEqual(
      expect.arrayContaining([
        ['PC-000001', 'Ahmed, Rahima', '1 Roman Rd', 'Bow Fund 2030'],
        ['PC-000002', "'=HYPERLINK(1)", '2 Roman Rd', 'Bow Fund 2030'],
        ['PC-000003', 'Cat', '3 Roman Rd', 'Bow Fund 2030'],
      ]),
    );
    for (const card of cards) expect(card.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(cards.map((c) => c.code)).size).toBe(3);
    const auditor = await api.signIn('auditor', 'aud-1');
    const log = await api.gql('{ auditLog(first: 50, streamCategory: "pollCards") { events { type data metadata } } }', {}, auditor);
    const opened = log.data.auditLog.events.find((e: { type: string }) => e.type === 'PersonalDataOpened');
    expect(JSON.parse(opened.data)).toMatchObject({ purpose: 'poll-card-csv', fundId, residents: 3 });
    expect(JSON.parse(opened.metadata)).toMatchObject({
      actorRole: 'administrator',
      actorId: 'admin-1',
      time: new Date(clock.at).toISOString(),
    });
  });

  it('a resident signs in with the reference and the code as typed from the letter', async () => {
    const card = cards.find((c) => c.reference === 'PC-000003')!;
    const typed = card.code.toLowerCase().replaceAll('-', ' ');
    const res = await signIn(' pc-000003 ', typed);
    expect(res.data.signInWithPollCard.subject).toBe('PC-000003');
    const me = await api.gql('{ me { subject signedInWith } }', {}, res.data.signInWithPollCard.token);
    expect(me.data.me).toEqual({ subject: 'PC-000003', signedInWith: 'poll_card' });
  });

  it("refuses another resident's code, a wrong code, and an unknown reference, all alike", async () => {
    const [first, second] = [cards.find((c) => c.reference === 'PC-000001')!, cards.find((c) => c.reference === 'PC-000002')!];
    expect(codeOf(await signIn('PC-000001', second.code))).toBe('AUTH.CODE_INVALID');
    expect(codeOf(await signIn('PC-000001', 'AAAA-AAAA-AAAA-AAAA'))).toBe('AUTH.CODE_INVALID');
    expect(codeOf(await signIn('PC-999999', first.code))).toBe('AUTH.CODE_INVALID');
  });

  it('a revoked code stops working; generating again replaces every code', async () => {
    const card = cards.find((c) => c.reference === 'PC-000002')!;
    const revoked = await api.gql(`mutation($f: ID!) { revokePollCard(fundId: $f, reference: "PC-000002") }`, { f: fundId }, exporter);
    expect(revoked.data.revokePollCard).toBe(true);
    expect(codeOf(await signIn('PC-000002', card.code))).toBe('AUTH.CODE_INVALID');
    const old = cards.find((c) => c.reference === 'PC-000001')!;
    cards = rowsOf((await generate(exporter)).data.generatePollCards.csv);
    expect(codeOf(await signIn('PC-000001', old.code))).toBe('AUTH.CODE_INVALID');
    expect((await signIn('PC-000002', cards.find((c) => c.reference === 'PC-000002')!.code)).data.signInWithPollCard.subject).toBe(
      'PC-000002',
    );
  });

  it('after 10 wrong tries in an hour a reference is locked, the right code included; an unknown reference the same', async () => {
    clock.at += 2 * 3600_000;
    const card = cards.find((c) => c.reference === 'PC-000001')!;
    for (const reference of ['PC-000001', 'PC-424242']) {
      for (let i = 0; i < 10; i++) expect(codeOf(await signIn(reference, 'AAAA-AAAA-AAAA-AAAA'))).toBe('AUTH.CODE_INVALID');
      expect(codeOf(await signIn(reference, card.code))).toBe('AUTH.CODE_LOCKED');
    }
    clock.at += 3600_000;
    expect((await signIn('PC-000001', card.code)).data.signInWithPollCard.subject).toBe('PC-000001');
  });
});
