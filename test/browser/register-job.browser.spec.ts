import { ImportRegisterCommand, ImportRegisterHandler } from '@civic/application';
import { axe } from './axe';
import { newContext, screenshot, signInAsStaff } from './browser';
import { webAndBrowser } from './suite';

/**
 * An administrator on a phone without JavaScript uploads the register: the page answers with the
 * import's own page, which reloads itself (its meta refresh) until the import on the server has
 * finished and then shows the result; another administrator follows the same page with
 * JavaScript (its script asks for the progress). In English and in Bengali, at 360 px, axe on
 * the running and the finished page.
 */
jest.setTimeout(180_000);
const suite = webAndBrowser('axe-incomplete-register-job.json');

it('follows a register import without JavaScript by reloading itself, and with it by asking, to its result', async () => {
  const { api, browser, incomplete } = suite;
  // The second chunk of each file waits until the test lets it go: the pages are seen mid-import.
  const handler = api.app.get(ImportRegisterHandler);
  const execute = handler.execute.bind(handler);
  let calls = 0;
  let entered = () => {};
  let hold: Promise<void> = Promise.resolve();
  handler.execute = async (command: ImportRegisterCommand) => {
    if (calls++ % 2 === 1) {
      entered();
      await hold;
    }
    return execute(command);
  };
  const violations: unknown[] = [];
  const expected = {
    en: { running: 'Importing: 5,000 of about 6,000 rows read, 1 refused', done: '5,998 residents imported' },
    bn: { running: 'আমদানি হচ্ছে: প্রায় ৬,০০০টি সারির মধ্যে ৫,০০০টি পড়া হয়েছে, ১টি বাতিল', done: '৫,৯৯৮ জন বাসিন্দা আমদানি হয়েছে' },
  };
  for (const lang of ['en', 'bn'] as const) {
    const rows = Array.from({ length: 6000 }, (_, i) => `TH-${lang.toUpperCase()}${String(i).padStart(6, '0')},Mile End,1980-01-01`);
    rows[10] = `TH-${lang}-BAD,Mile End,not-a-date`;
    rows[5500] = `TH-${lang}-BAD2,Mile End,yesterday`;
    const secondChunk = new Promise<void>((resolve) => (entered = resolve));
    let release = () => {};
    hold = new Promise<void>((resolve) => (release = resolve));

    const plain = await newContext(browser, { lang, width: 360, javaScript: false });
    const page = await plain.newPage();
    await signInAsStaff(page, api.url, 'administrator', `registrar-${lang}`);
    await page.goto(`${api.url}/language?to=${lang}&back=/admin/register`);
    await page.setInputFiles('#file', {
      name: 'register.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['reference,ward,date_of_birth', ...rows].join('\n')),
    });
    await Promise.all([
      page.waitForURL(/\/admin\/register\/jobs\/[\w-]{22}$/),
      page.locator('form[action="/admin/register/file"] button').click(),
    ]);
    await secondChunk;
    await page.reload();
    expect((await page.locator('#job-progress').innerText()).trim()).toBe(expected[lang].running);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, `staff-register-job-running-${lang}-360`);

    // Another administrator, with JavaScript, on the same address.
    const scripted = await newContext(browser, { lang, width: 360 });
    const other = await scripted.newPage();
    await signInAsStaff(other, api.url, 'administrator', `registrar-${lang}-2`);
    await other.goto(`${api.url}/language?to=${lang}&back=${encodeURIComponent(new URL(page.url()).pathname)}`);
    expect((await other.locator('#job-progress').innerText()).trim()).toBe(expected[lang].running);
    expect(await other.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    violations.push(...(await axe(other, `register-job-running-${lang}-360`, incomplete)));

    release();
    // Neither page is touched again: one reloads itself by its meta refresh, the other by its script.
    await Promise.all([page.locator('#result').waitFor({ timeout: 60_000 }), other.locator('#result').waitFor({ timeout: 60_000 })]);
    for (const p of [page, other]) expect((await p.locator('#result').innerText()).trim()).toBe(expected[lang].done);
    await screenshot(page, `staff-register-job-done-${lang}-360`);
    violations.push(...(await axe(other, `register-job-done-${lang}-360`, incomplete)));
    expect(await other.locator('table.govuk-table tbody tr').count()).toBe(2);
    await plain.close();
    await scripted.close();
  }
  expect(violations).toEqual([]);
});
