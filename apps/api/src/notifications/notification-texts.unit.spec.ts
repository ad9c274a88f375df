import { EMAIL_CATALOGUES, renderMail } from './notification-texts';
import { NOTIFICATION_KINDS } from './notification-store.port';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the e-mails’ words', () => {
  const en = EMAIL_CATALOGUES.get('en')!.messages;
  const bn = EMAIL_CATALOGUES.get('bn')!.messages;

  it('are complete in Bengali: the same keys, each with the same placeholders', () => {
    expect(Object.keys(bn).sort()).toEqual(Object.keys(en).sort());
    const optional = (text: string) => text.match(/\[\[.*?\]\]/gs)?.length ?? 0;
    for (const key of Object.keys(en))
      expect([key, placeholders(bn[key]), optional(bn[key])]).toEqual([key, placeholders(en[key]), optional(en[key])]);
  });

  it('have a subject and a text for every kind of message', () => {
    for (const kind of NOTIFICATION_KINDS) expect([kind, `${kind}.subject` in en, `${kind}.text` in en]).toEqual([kind, true, true]);
  });

  it('write money, numbers and dates through Intl: Bengali digits in Bengali, the codes to type as they are', () => {
    const params = { fund: 'F', title: 'T', number: 12, officialCostPence: 123456, link: 'L', fundId: 'x', settingsLink: 'S' };
    const mail = renderMail('bn', 'proposal-accepted', params, { footer: 'footer.author' });
    expect(mail.text).toContain('নম্বর ১২');
    expect(mail.text).toContain('১,২৩৪.৫৬£');
    expect(mail.text).toContain('S');
    expect(renderMail('en', 'proposal-accepted', params).text).toContain('£1,234.56');
    const receipt = renderMail('bn', 'ballot-receipt', {
      fund: 'F',
      pot: 'P',
      code: 'AB12-CD34',
      link: 'L',
      closesAt: '2030-05-01T17:00:00Z',
    });
    expect(receipt.subject).toContain('AB12-CD34');
    const merged = { fund: 'F', title: 'T', survivor: 'S', link: 'L' };
    expect(renderMail('en', 'proposal-merged', { ...merged, survivorNumber: 3 }).text).toContain('“S” (number 3), and merged');
    expect(renderMail('en', 'proposal-merged', merged).text).toContain('“S”, and merged'); // no number yet: none shown
    expect(receipt.text).toContain('২০৩০'); // the year, in Bengali digits
    expect(receipt.text).not.toContain('2030');
  });
});
