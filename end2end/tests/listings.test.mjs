// Listings in real Chromium at 360 × 740: the instant check while typing
// gives the decision the server then stores; the form works without
// JavaScript; axe-core on every listing page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, hydrated, checkA11y, shot, noHorizontalScroll, signIn as signInAs } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

const signIn = (page, who) => signInAs(page, server, who);

async function fill(page, title, category, price, currency) {
  await page.fill('#title', title);
  await page.selectOption('#category', category);
  await page.selectOption('#currency', currency);
  await page.fill('#price', price);
  await page.fill('#unit', 'pcs');
}

test('the instant check while typing gives the decision saved on the server', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'penjual14@contoh.id');
    await page.goto(server.url + '/listings');
    await hydrated(page);
    await checkA11y(page, 'listings-empty');
    await page.click('#new-listing');
    await page.waitForURL('**/listings/new');
    await hydrated(page);
    await checkA11y(page, 'listing-new');
    await noHorizontalScroll(page);
    await fill(page, 'Keripik Tempe Original', 'makanan-ringan', '15000', 'IDR');
    await page.waitForSelector('#instant-check .decision');
    const instant = (await page.textContent('#instant-check .decision strong')).trim();
    // Goods shipped from abroad: the AKAR block appears while typing.
    await page.selectOption('#ships_from', 'MY');
    await page.waitForSelector('#instant-check .decision.blocked');
    await page.selectOption('#ships_from', 'ID');
    await page.waitForSelector(`#instant-check .decision:has-text("${instant}")`);
    await shot(page, 'listing-instant');
    await page.click('#listing-form button[type=submit]');
    await page.waitForURL(/\/listings\/\d+\?saved=1/);
    await hydrated(page);
    const saved = (await page.textContent('#decision .decision strong')).trim();
    assert.equal(saved, instant);
    await checkA11y(page, 'listing');
    await noHorizontalScroll(page);
  } finally {
    await browser.close();
  }
});

test('the listing form works without JavaScript', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    const page = await browser.newPage();
    await signIn(page, 'penjual16@contoh.id');
    await page.goto(server.url + '/listings/new');
    // Bad input: the message beside the field, what was typed kept.
    await fill(page, 'Kemeja Batik Tulis Pekalongan', 'batik', '150000.5', 'IDR');
    await page.click('#listing-form button[type=submit]');
    await page.waitForSelector('#price-error:not(:empty)');
    assert.equal(await page.inputValue('#title'), 'Kemeja Batik Tulis Pekalongan');
    await page.fill('#price', '150000');
    await page.click('#listing-form button[type=submit]');
    await page.waitForURL(/\/listings\/\d+\?saved=1/);
    assert.match(await page.textContent('#decision'), /Diizinkan/);
    await page.goto(server.url + '/listings');
    assert.match(await page.textContent('#listing-list'), /Kemeja Batik Tulis Pekalongan/);
    await shot(page, 'listings');
  } finally {
    await browser.close();
  }
});
