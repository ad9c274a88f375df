import { ok } from '../support/voting-fund';
import { startWeb, WebClient } from './web-client';

/** "My e-mails", without JavaScript: a resident chooses e-mails about voting and their language; errors as GOV.UK shows them. */
jest.setTimeout(60_000);
let api: Awaited<ReturnType<typeof startWeb>>;

beforeAll(async () => {
  api = await startWeb();
  const admin = await api.signIn('administrator', 'admin-1');
  const csv = [
    'reference,ward,date_of_birth,name,address,email',
    'TH-920001,Mile End,1980-01-01,Ann,1 High St,ann@example.org',
    'TH-920002,Mile End,1980-01-01,,,',
  ];
  ok(await api.gql('mutation($c: String!) { importRegister(csv: $c) { imported } }', { c: csv.join('\n') }, admin));
});
afterAll(() => api?.stop());

const signedIn = async (reference: string) => {
  const client = new WebClient(api.url);
  await client.signIn(reference);
  return client;
};
const checked = (html: string, name: string, value: string) =>
  new RegExp(`name="${name}" type="(checkbox|radio)" value="${value}"\\s*checked`).test(html);

describe('my e-mails', () => {
  it('saves a resident’s choice of e-mails about voting and of Bengali, and shows it again', async () => {
    const client = await signedIn('TH-920001');
    const page = await client.get('/notifications');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/notifications"'); // in the header, for residents
    expect(checked(page.text, 'votingEmails', 'yes')).toBe(false);
    expect(checked(page.text, 'language', 'en')).toBe(true);
    const saved = await client.follow(await client.post('/notifications', { votingEmails: 'yes', language: 'bn' }));
    expect(saved.text).toContain('govuk-notification-banner--success');
    expect(checked(saved.text, 'votingEmails', 'yes')).toBe(true);
    expect(checked(saved.text, 'language', 'bn')).toBe(true);
    // And off again: an unticked box is absent from the form.
    const off = await client.follow(await client.post('/notifications', { language: 'en' }));
    expect(checked(off.text, 'votingEmails', 'yes')).toBe(false);
  });

  it('says so, at the box, when the register holds no address; and asks for a language it writes', async () => {
    const client = await signedIn('TH-920002');
    expect((await client.get('/notifications')).text).toContain('The register holds no e-mail address for you');
    const refused = await client.post('/notifications', { votingEmails: 'yes', language: 'en' });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/govuk-error-summary[\s\S]*href="#votingEmails"/);
    expect(refused.text).toContain('id="votingEmails-error"');
    const noLanguage = await client.post('/notifications', { language: 'fr' });
    expect(noLanguage.status).toBe(400);
    expect(noLanguage.text).toMatch(/href="#language"[^>]*>Choose the language of our e-mails/);
    // Not chosen yet: the page's own language is offered first.
    await client.get('/language?to=bn&back=%2Fnotifications');
    expect(checked((await client.get('/notifications')).text, 'language', 'bn')).toBe(true);
  });
});
