import { hidden, startWeb, WebClient } from './web-client';
import { buildWebWorld, type WebWorld } from './web-world';

let api: Awaited<ReturnType<typeof startWeb>>;
let world: WebWorld;

beforeAll(async () => {
  api = await startWeb();
  world = await buildWebWorld(api, 5);
}, 60_000);
afterAll(() => api.stop());

/** The GraphQL queries the server has answered so far (pages' own included), from `/metrics`. */
async function queriesSoFar(): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  return [...text.matchAll(/^civic_graphql_operations_total\{type="query",[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
}

/** A page's HTML without what is new on every response (the script nonce). */
const page = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""').replace(/'nonce-[^']+'/g, "'nonce-'");

const signedIn = async (reference: string) => {
  const web = new WebClient(api.url);
  await web.signIn(reference);
  return web;
};

/** Reviews `choice` in the approval pot and posts the review's form: the post's answer. */
async function vote(web: WebClient, choice: string[]) {
  const base = `/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`;
  const review = await web.post(base, { choice });
  expect(review.status).toBe(200);
  const sent = await web.post(`${base}/submit`, {
    commandId: hidden(review.text, 'commandId'),
    action: hidden(review.text, 'action'),
    choice,
  });
  expect(sent.location).toBe(`${base}/done`);
  return sent;
}

describe('the confirmation page straight after a vote', () => {
  it('is made from what the vote answered, with no query, once; a reload reads it and gets the same page', async () => {
    const a = world.voting.approval;
    for (const lang of ['en', 'bn']) {
      const web = await signedIn(world.residents[lang === 'en' ? 0 : 1]);
      web.cookies.set('civic_lang', lang);
      const sent = await vote(web, [a['Bench by the pond'], a['Play street']]);
      const before = await queriesSoFar();
      const flashed = await web.follow(sent);
      expect(flashed.status).toBe(200);
      expect(await queriesSoFar()).toBe(before);
      const reloaded = await web.follow(sent);
      expect(await queriesSoFar()).toBe(before + 1);
      expect(page(flashed.text)).toBe(page(reloaded.text));
      expect(flashed.text).toMatch(/<p class="council-receipt" id="receipt-code">[0-9A-Z-]+<\/p>/);
      expect(flashed.text).toContain('Play street');
    }
  });

  it('belongs to the session that voted: another session, and a post without its review, read the page', async () => {
    const a = world.voting.approval;
    const voter = await signedIn(world.residents[2]);
    const sent = await vote(voter, [a['Bulb planting']]);
    // Another resident's session opening the same address gets their own page (no ballot: back to the form).
    const other = await signedIn(world.residents[3]);
    const elsewhere = await other.follow(sent);
    expect(elsewhere.status).toBe(303);
    // The voter's own note is still there for them.
    const before = await queriesSoFar();
    const mine = await voter.follow(sent);
    expect(await queriesSoFar()).toBe(before);
    expect(mine.text).toContain('Bulb planting');
    // A changed vote posted with a review's form whose choices differ from the note: still the truth, read from the API.
    const base = `/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`;
    const review = await voter.post(base, { choice: [a['Play street']] });
    const forged = await voter.post(`${base}/submit`, {
      commandId: hidden(review.text, 'commandId'),
      action: 'replace',
      choice: [a['Bench by the pond']],
    });
    expect(forged.location).toBe(`${base}/done`);
    const shown = await voter.follow(forged);
    expect(shown.text).toContain('Bench by the pond');
    expect(shown.text).not.toContain('Play street');
  });

  it('never outlives a later post: a vote changed before the first confirmation was opened shows the change', async () => {
    const a = world.voting.approval;
    const voter = await signedIn(world.residents[4]);
    await vote(voter, [a['Bulb planting']]);
    // The first confirmation is never opened; the vote is changed with a form whose review noted other choices.
    const base = `/funds/${world.voting.fundId}/pots/${world.voting.approvalPot}/vote`;
    const review = await voter.post(base, { choice: [a['Play street']] });
    const changed = await voter.post(`${base}/submit`, {
      commandId: hidden(review.text, 'commandId'),
      action: 'replace',
      choice: [a['Bench by the pond']],
    });
    const shown = await voter.follow(changed);
    expect(shown.text).toContain('Bench by the pond');
    expect(shown.text).not.toContain('Bulb planting');
  });
});
