import { fundForAssen } from '../support/imported-election';
import { errorSummary as summary, hidden, startWeb, WebClient } from './web-client';

async function staff(base: string, role: string, subject: string, lang?: 'bn') {
  const client = new WebClient(base);
  await client.get('/staff/sign-in');
  expect((await client.post('/staff/sign-in', { role, subject, back: '/staff' })).status).toBe(303);
  if (lang) await client.get(`/language?to=${lang}&back=/staff`);
  await client.get('/staff');
  return client;
}
const checked = (html: string) => /<input[^>]*name="publication"[^>]*value="(\w+)"[^>]*checked/.exec(html)?.[1];

describe('the administrator’s page choosing how a fund’s ballots are published', () => {
  let api: Awaited<ReturnType<typeof startWeb>>;
  beforeAll(async () => {
    api = await startWeb();
  }, 60_000);
  afterAll(() => api?.stop());

  it('says what each choice means, records one before voting, then shows the refusal once voting has opened, in English and Bengali', async () => {
    const token = await api.signIn('administrator', 'admin-publication');
    const { fundId, phase, publication: stored } = await fundForAssen(api, token);
    const path = `/admin/funds/${fundId}/publication`;
    const admin = await staff(api.url, 'administrator', 'admin-publication');

    // From the fund's page, in draft: linked by default, both choices explained.
    const fundPage = await admin.get(`/admin/funds/${fundId}`);
    expect(fundPage.text).toContain(`href="${path}"`);
    expect(fundPage.text).toMatch(/Ballots published\s*<\/dt>\s*<dd[^>]*>\s*Linked/);
    const page = await admin.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Chosen now: Linked');
    expect(page.text).toContain('A resident who looks up their receipt sees the projects their ballot named');
    expect(page.text).toContain('A resident&#39;s receipt proves that their ballot was counted, not what it said');
    expect(checked(page.text)).toBe('linked');
    const commandId = hidden(page.text, 'commandId');

    const none = await admin.post(path, { commandId });
    expect([none.status, summary(none.text)]).toEqual([400, 'Choose linked or unlinked']);
    const forged = await admin.post(path, { commandId, publication: 'public' });
    expect([forged.status, summary(forged.text)]).toEqual([400, 'Choose linked or unlinked']);
    expect(await stored()).toBe('linked');

    const saved = await admin.post(path, { commandId, publication: 'unlinked' });
    expect([saved.status, saved.location]).toEqual([303, `${path}?saved=1`]);
    expect(await stored()).toBe('unlinked');
    const after = await admin.get(`${path}?saved=1`);
    expect(after.text).toContain('The choice is saved: Unlinked.');
    expect(checked(after.text)).toBe('unlinked');

    // A Bengali page opened in review, sent after voting opened: the API's refusal in Bengali, nothing changed.
    await phase('openProposals');
    await phase('startReview');
    const bengali = await staff(api.url, 'administrator', 'admin-publication-bn', 'bn');
    const bnPage = await bengali.get(path);
    expect(bnPage.text).toContain('এখন বেছে নেওয়া আছে: অসংযুক্ত');
    expect(bnPage.text).toContain('ভোট শুরু হওয়া পর্যন্ত আপনি এটি বদলাতে পারেন');
    const english = await admin.get(path);
    await phase('openVoting');
    const bnRefused = await bengali.post(path, { commandId: hidden(bnPage.text, 'commandId'), publication: 'linked' });
    expect([bnRefused.status, summary(bnRefused.text)]).toEqual([400, 'ভোট শুরু হয়ে গেছে, তাই ব্যালট কীভাবে প্রকাশ হবে তা আর বদলানো যায় না']);
    expect(bnRefused.text).toContain('href="#publication"');
    expect(bnRefused.text).toMatch(/id="publication"/);
    const enRefused = await admin.post(path, { commandId: hidden(english.text, 'commandId'), publication: 'linked' });
    expect([enRefused.status, summary(enRefused.text)]).toEqual([
      400,
      'Voting has opened, so how the ballots are published can no longer change',
    ]);
    expect(await stored()).toBe('unlinked');

    // Once frozen the page offers no choice, and still says what each means.
    const frozen = await admin.get(path);
    expect(frozen.text).not.toContain('name="publication"');
    expect(frozen.text).toContain('Voting has opened: this choice is fixed for the rest of the fund');
    expect(frozen.text).toContain('Chosen now: Unlinked');
    expect(frozen.text).toContain('What each choice means');

    // Only administrators: a reviewer is refused the page and the post.
    const reviewer = await staff(api.url, 'reviewer', 'reviewer-publication');
    expect((await reviewer.get(path)).status).toBe(403);
    expect((await reviewer.post(path, { publication: 'linked' })).status).toBe(403);
  }, 120_000);
});
