// A seller's business profile and onboarding checklist, and staff
// verifying the NIB, in real Chromium at 360 × 740.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, hydrated, checkA11y, shot, noHorizontalScroll, sentSecret, DEMO_PASSWORD } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

async function signUp(page, name, phone) {
  await page.goto(server.url + '/register');
  await page.fill('#display_name', name);
  await page.fill('#identifier', phone);
  await page.fill('#password', 'tempe-goreng-renyah');
  await page.check('#agree_privacy');
  await page.click('#register-form button[type=submit]');
  await page.waitForURL('**/verify?v=*');
  const code = await sentSecret(server, '+62' + phone.replace(/\D/g, '').replace(/^0/, ''));
  await page.fill('#code', code);
  await page.click('#verify-form button[type=submit]');
  await page.waitForURL('**/account?welcome=1');
}

test('a seller completes the profile and staff verify the NIB', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signUp(page, 'Keripik Bu Rina', '0812 7777 0001');
    await page.goto(server.url + '/profile');
    await hydrated(page);
    await page.waitForSelector('#journey-progress');
    assert.equal(await page.getAttribute('#journey-progress', 'value'), '0');
    await checkA11y(page, 'profile-empty');
    await noHorizontalScroll(page);
    // Validation as the seller types, from the same Rust rules.
    await page.fill('#nib', '12345');
    await page.waitForSelector('#nib-error:has-text("13 angka")');
    await page.fill('#name', 'Keripik Tempe Bu Rina');
    await page.fill('#owner_name', 'Rina Astuti');
    await page.fill('#whatsapp', '0812 7777 0001');
    await page.selectOption('#cluster', 'food_beverages');
    const kbli = await page.$eval('#kbli-options option', (o) => o.value.split(' ')[0]);
    await page.fill('#kbli', kbli);
    await page.fill('#year_founded', '2018');
    await page.fill('#employees', '3');
    await page.fill('#nib', '9120 0000 12345');
    await page.selectOption('#province', '35');
    await page.selectOption('#regency', '35.73');
    await page.fill('#address', 'Jl. Ijen 5, Malang');
    await page.selectOption('#size_basis', 'capital');
    await page.fill('#capital', '75.000.000');
    await page.fill('#channel_url', 'https://shopee.co.id/keripikburina');
    await shot(page, 'profile-filled');
    await page.click('#business-form button[type=submit]');
    await page.waitForURL('**/profile?saved=1');
    await page.waitForSelector('#profile-saved');
    assert.equal(await page.getAttribute('#journey-progress', 'value'), '2');
    await page.waitForSelector('#nib-status:has-text("menunggu verifikasi")');
    await page.waitForSelector('#size-class:has-text("mikro")');
    await checkA11y(page, 'profile-saved');
    await noHorizontalScroll(page);
    await shot(page, 'profile-saved');
    // The home page shows the checklist and the next step.
    await page.goto(server.url + '/');
    await page.waitForSelector('.journey .next-step');
    await hydrated(page);
    await checkA11y(page, 'home-journey');
    await noHorizontalScroll(page);

    // Staff verify the NIB.
    const staffBrowser = await launch();
    try {
      const staff = await staffBrowser.newPage();
      await staff.goto(server.url + '/login');
      await hydrated(staff);
      await staff.fill('#identifier', 'staf@naikkelas.id');
      await staff.fill('#password', DEMO_PASSWORD);
      await staff.click('#login-form button[type=submit]');
      await staff.waitForURL('**/account');
      await staff.goto(server.url + '/staff/verifications?province=35');
      await hydrated(staff);
      await checkA11y(staff, 'staff-queue');
      await noHorizontalScroll(staff);
      await shot(staff, 'staff-queue');
      await staff.click('#nib-queue >> text=Keripik Tempe Bu Rina');
      await staff.waitForSelector('#review-nib:has-text("9120000012345")');
      await hydrated(staff);
      await checkA11y(staff, 'staff-item');
      await staff.click('#decide-form button[value=verify]');
      await staff.waitForURL('**/staff/verifications?decided=1');
    } finally {
      await staffBrowser.close();
    }
    await page.goto(server.url + '/profile');
    await page.waitForSelector('#nib-status:has-text("terverifikasi")');
    assert.equal(await page.getAttribute('#journey-progress', 'value'), '3');
    await page.waitForSelector('#step-nib_verified.done');
    // The history names the decision and who made it.
    await page.waitForSelector('#history li:has-text("NIB diverifikasi")');
    await page.waitForSelector('#history li:has-text("staf kementerian")');
  } finally {
    await browser.close();
  }
});

test('the profile form works without JavaScript and keeps what was typed', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    const page = await browser.newPage();
    await page.goto(server.url + '/login');
    await page.fill('#identifier', 'penjual2@contoh.id');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForURL('**/account');
    await page.goto(server.url + '/profile');
    await page.fill('#name', 'Kopi Gayo Pak Amir');
    await page.fill('#capital', 'satu juta');
    await page.selectOption('#province', '11');
    await page.selectOption('#regency', '35.73');
    await page.click('#business-form button[type=submit]');
    await page.waitForSelector('#capital-error:has-text("rupiah")');
    await page.waitForSelector('#regency-error:has-text("tidak berada di provinsi")');
    assert.equal(await page.inputValue('#name'), 'Kopi Gayo Pak Amir');
    assert.equal(await page.inputValue('#capital'), 'satu juta');
    await page.fill('#capital', '250000000');
    await page.selectOption('#regency', '11.01');
    await page.click('#business-form button[type=submit]');
    await page.waitForURL('**/profile?saved=1');
    await page.waitForSelector('#profile-saved');
  } finally {
    await browser.close();
  }
});

test('in English: the profile form, live checks and the KBLI list', async () => {
  const browser = await launch({ locale: 'en-US' });
  try {
    const page = await browser.newPage();
    await page.goto(server.url + '/login');
    await hydrated(page);
    await page.fill('#identifier', 'penjual4@contoh.id');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForURL('**/account');
    await page.goto(server.url + '/profile');
    await hydrated(page);
    await page.waitForSelector('h1:has-text("Business profile")');
    // Countries by name, KBLI suggestions with their ISIC title.
    assert.ok((await page.textContent('#country')).includes('Singapore'));
    const suggestion = await page.$eval('#kbli-options option', (o) => o.value);
    assert.match(suggestion, /^\d{5} ISIC \d{2,4}: /);
    // The same Rust rules as the server, as the seller types.
    await page.fill('#year_founded', '2999');
    await page.waitForSelector('#year_founded-error:not(:empty)');
    await page.fill('#kbli', '1313');
    await page.waitForSelector('#kbli-error:not(:empty)');
    await page.fill('#name', '');
    await page.waitForSelector('#name-error:not(:empty)');
    assert.equal(await page.getAttribute('#name', 'aria-required'), 'true');
    assert.equal(await page.getAttribute('#nib', 'aria-required'), null);
    await checkA11y(page, 'profile-en-errors');
    await noHorizontalScroll(page);
    await page.goto(server.url + '/kbli?q=batik');
    await page.waitForSelector('#kbli-table td:has-text("13134")');
    await checkA11y(page, 'kbli-list');
    await noHorizontalScroll(page);
    await shot(page, 'kbli-list');
  } finally {
    await browser.close();
  }
});
