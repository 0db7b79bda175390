// Workshops in real Chromium at 360 × 740: a seller registers and
// cancels; the trainer records attendance with JavaScript disabled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, hydrated, checkA11y, shot, noHorizontalScroll, signIn as signInAs } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

const signIn = (page, who) => signInAs(page, server, who);

test('a seller registers for a workshop and cancels', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'penjual10@contoh.id');
    await page.goto(server.url + '/workshops');
    await hydrated(page);
    await page.waitForSelector('#workshop-list li');
    await checkA11y(page, 'workshops');
    await noHorizontalScroll(page);
    await page.click('#workshop-list li h2 a');
    await page.waitForURL('**/workshops/*');
    await hydrated(page);
    await checkA11y(page, 'workshop');
    await page.click('#register-form button[type=submit]');
    await page.waitForSelector('#my-place');
    assert.match(await page.textContent('#my-place'), /kursi/);
    await shot(page, 'workshop-registered');
    await page.click('#cancel-form button[type=submit]');
    await page.waitForSelector('#register-form');
  } finally {
    await browser.close();
  }
});

test('the trainer records attendance without JavaScript', async () => {
  let attendance;
  const withJs = await launch();
  try {
    const page = await withJs.newPage();
    await signIn(page, 'pelatih@naikkelas.id');
    await page.goto(server.url + '/workshops');
    const href = await page.getAttribute('#workshop-list li h2 a', 'href');
    attendance = href + '/attendance';
    await page.goto(server.url + attendance);
    await hydrated(page);
    await page.waitForSelector('#attendance li');
    await checkA11y(page, 'attendance');
    await noHorizontalScroll(page);
  } finally {
    await withJs.close();
  }
  const browser = await launch({ javaScriptEnabled: false });
  try {
    const page = await browser.newPage();
    await signIn(page, 'pelatih@naikkelas.id');
    await page.goto(server.url + attendance);
    const before = await page.locator('#attendance li.done').count();
    await page.click('#attendance li:not(.done) button');
    await page.waitForLoadState('load');
    assert.equal(await page.locator('#attendance li.done').count(), before + 1);
    await shot(page, 'attendance');
  } finally {
    await browser.close();
  }
});

test("the trainer's report: who is stuck where, filters without JavaScript, CSV", async () => {
  const withJs = await launch();
  try {
    const page = await withJs.newPage();
    await signIn(page, 'pelatih@naikkelas.id');
    await page.goto(server.url + '/teach/buka-toko-online');
    await page.click('#course-report');
    await page.waitForURL('**/teach/buka-toko-online/report');
    await hydrated(page);
    await page.waitForSelector('#stuck tbody tr');
    await checkA11y(page, 'course-report');
    await noHorizontalScroll(page);
  } finally {
    await withJs.close();
  }
  const browser = await launch({ javaScriptEnabled: false });
  try {
    const page = await browser.newPage();
    await signIn(page, 'pelatih@naikkelas.id');
    await page.goto(server.url + '/teach/buka-toko-online/report');
    const first = await page.getAttribute('#module option:nth-child(2)', 'value');
    await page.selectOption('#module', first);
    await page.click('#report-filter button[type=submit]');
    await page.waitForURL(`**/report?module=${first}**`);
    assert.equal(await page.inputValue('#module'), first);
    const csv = await page.getAttribute('#report-csv', 'href');
    assert.match(csv, new RegExp(`module=${first}`));
    const res = await page.request.get(server.url + csv);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /text\/csv/);
    assert.match((await res.text()).split('\n')[0], /^Nama,/);
    await shot(page, 'course-report');
  } finally {
    await browser.close();
  }
});
