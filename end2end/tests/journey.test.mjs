// A newcomer's journey in real Chromium, with and without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, hydrated, checkA11y, shot, noHorizontalScroll, sentSecret, DEMO_PASSWORD } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

test('a newcomer registers, logs out, logs in and switches language', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(server.url + '/');
    await hydrated(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    assert.match(await page.textContent('h1'), /Naik kelas bersama/);
    await checkA11y(page, 'home');
    await noHorizontalScroll(page);
    await shot(page, 'home');

    await page.click('nav >> text=Daftar');
    await page.waitForURL('**/register');
    await hydrated(page);
    // Hydrated interaction: validation as the user types, before any submit.
    await page.fill('#identifier', 'sari@contoh');
    await page.waitForSelector('#identifier-error:has-text("Alamat email tidak valid")');
    await page.fill('#identifier', 'sari@contoh.id');
    await page.waitForFunction(() => document.querySelector('#identifier-error').textContent.trim() === '');
    await page.fill('#display_name', 'Ibu Sari');
    await page.fill('#password', 'kopi-tubruk-pagi');
    await page.check('#agree_privacy');
    await checkA11y(page, 'register');
    await shot(page, 'register');
    await page.click('#register-form button[type=submit]');
    // Nobody is signed in until the link sent to the address is opened.
    await page.waitForURL('**/verify?v=*');
    await page.waitForSelector('#sent-to:has-text("s•••@contoh.id")');
    await hydrated(page);
    await checkA11y(page, 'verify-email');
    await noHorizontalScroll(page);
    await shot(page, 'verify-email');
    const link = await sentSecret(server, 'sari@contoh.id', { link: true });
    await page.goto(link);
    await hydrated(page);
    await checkA11y(page, 'verify-confirm');
    await page.click('#verify-form button[type=submit]');
    await page.waitForURL('**/account?welcome=1');
    await page.waitForSelector('#account-notice');
    await page.waitForSelector('text=Ibu Sari');
    await page.waitForSelector('nav >> text=Akun saya');
    await checkA11y(page, 'account');
    await noHorizontalScroll(page);
    await shot(page, 'account');

    await page.click('nav >> button:has-text("Keluar")');
    await page.waitForURL(server.url + '/');
    await page.waitForSelector('nav >> text=Masuk');

    await page.goto(server.url + '/login');
    await hydrated(page);
    await page.fill('#identifier', 'sari@contoh.id');
    await page.fill('#password', 'salah-kata-sandi');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('.form-error:has-text("Email/nomor HP atau kata sandi salah")');
    assert.equal(await page.inputValue('#identifier'), 'sari@contoh.id');
    await checkA11y(page, 'login-error');
    await shot(page, 'login-error');
    await page.fill('#password', 'kopi-tubruk-pagi');
    await page.click('#login-form button[type=submit]');
    await page.waitForURL('**/account');
    await page.waitForSelector('text=Ibu Sari');

    await page.click('#lang-switch');
    await page.waitForSelector('h1:has-text("My account")');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.reload();
    await hydrated(page);
    await page.waitForSelector('h1:has-text("My account")');
    await shot(page, 'account-en');
  } finally {
    await browser.close();
  }
});

test('the register form works with JavaScript disabled', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    const page = await browser.newPage();
    await page.goto(server.url + '/register');
    await page.fill('#display_name', 'Warung Bu Tini');
    await page.fill('#identifier', '0812-345');
    await page.fill('#password', 'pendek');
    await page.click('#register-form button[type=submit]');
    await page.waitForSelector('#identifier-error:has-text("Nomor HP tidak valid")');
    await page.waitForSelector('#password-error:has-text("minimal 8 karakter")');
    assert.equal(await page.inputValue('#display_name'), 'Warung Bu Tini');
    assert.equal(await page.inputValue('#identifier'), '0812-345');
    assert.equal(await page.inputValue('#password'), '');
    await shot(page, 'register-nojs-errors');
    // axe needs script in the page: check the same error page with it on.
    const withJs = await launch();
    try {
      const check = await withJs.newPage();
      await check.goto(page.url());
      await hydrated(check);
      await check.waitForSelector('#identifier-error:has-text("Nomor HP tidak valid")');
      await checkA11y(check, 'register-errors');
    } finally {
      await withJs.close();
    }
    await page.fill('#identifier', '0812-3456-7891');
    await page.fill('#password', 'sate-ayam-madura');
    await page.check('#agree_privacy');
    await page.click('#register-form button[type=submit]');
    // Sign-up with a code, still without JavaScript: a wrong code first.
    await page.waitForURL('**/verify?v=*');
    await page.waitForSelector('#sent-to:has-text("+62812•••••891")');
    const code = await sentSecret(server, '+6281234567891');
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await page.click('#verify-form button[type=submit]');
    await page.waitForSelector('#code-error:has-text("Kode salah")');
    await shot(page, 'verify-code-wrong-nojs');
    await page.fill('#code', code);
    await page.click('#verify-form button[type=submit]');
    await page.waitForURL('**/account?welcome=1');
    await page.waitForSelector('text=+6281234567891');
    // Switching language works without JavaScript too.
    await page.click('#lang-switch');
    await page.waitForSelector('h1:has-text("My account")');
  } finally {
    await browser.close();
  }
});

test('an administrator sees the user list and assigns a role', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    // A page that needs signing in sends the visitor to the login page,
    // and back to it afterwards.
    await page.goto(server.url + '/admin/users');
    await page.waitForURL('**/login?next=%2Fadmin%2Fusers');
    await hydrated(page);
    await page.fill('#identifier', 'admin@naikkelas.id');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForURL('**/admin/users');
    await page.waitForSelector('table.users');
    await hydrated(page);
    await checkA11y(page, 'admin-users');
    await noHorizontalScroll(page);
    await shot(page, 'admin-users');
    await page.fill('#q', 'Kopi Gayo');
    await page.press('#q', 'Enter');
    await page.waitForURL('**q=Kopi+Gayo**');
    await page.waitForSelector('text=1 akun');
    await hydrated(page);
    const row = page.locator('table.users tbody tr').first();
    await row.locator('select').selectOption('trainer');
    await row.locator('button[type=submit]').click();
    await page.waitForSelector('text=Peran sudah disimpan.');
  } finally {
    await browser.close();
  }
});

test('without JavaScript, a private page goes through sign-in and comes back', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    const page = await browser.newPage();
    const res = await page.goto(server.url + '/account');
    assert.match(page.url(), /\/login\?next=%2Faccount$/);
    assert.equal(res.status(), 200);
    await page.fill('#identifier', '0812 0000 0001');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForURL('**/account');
    await page.waitForSelector('h1:has-text("Akun saya")');
    await shot(page, 'account-nojs');
  } finally {
    await browser.close();
  }
});

test('a forgotten password is reset with a code, without JavaScript', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    const page = await browser.newPage();
    await page.goto(server.url + '/login');
    await page.click('#forgot-link');
    await page.waitForURL('**/forgot');
    await page.fill('#identifier', '0812 0000 0001');
    await page.click('#forgot-form button[type=submit]');
    await page.waitForURL('**/reset?v=*');
    await page.waitForSelector('#sent-to:has-text("+62812•••••001")');
    await shot(page, 'reset-nojs');
    const code = await sentSecret(server, '+6281200000001');
    await page.fill('#code', code);
    await page.fill('#new_password', 'pendek');
    await page.click('#reset-form button[type=submit]');
    await page.waitForSelector('#new_password-error:has-text("minimal 8 karakter")');
    assert.equal(await page.inputValue('#code'), code);
    await page.fill('#new_password', 'gudeg-jogja-manis');
    await page.click('#reset-form button[type=submit]');
    await page.waitForURL('**/account?reset=1');
    await page.waitForSelector('#account-notice:has-text("Kata sandi baru sudah disimpan")');
    // The same pages pass axe with JavaScript on, in English at 360 px.
    const withJs = await launch({ locale: 'en-US' });
    try {
      const check = await withJs.newPage();
      await check.goto(server.url + '/forgot');
      await hydrated(check);
      await check.waitForSelector('h1:has-text("Forgot password")');
      await checkA11y(check, 'forgot');
      await noHorizontalScroll(check);
      await check.fill('#identifier', 'staf@naikkelas.id');
      await check.click('#forgot-form button[type=submit]');
      await check.waitForURL('**/reset?v=*');
      await hydrated(check);
      await checkA11y(check, 'reset-email');
      const link = await sentSecret(server, 'staf@naikkelas.id', { link: true });
      await check.goto(link);
      await hydrated(check);
      await checkA11y(check, 'reset-link');
      await noHorizontalScroll(check);
      await check.goto(server.url + '/privacy');
      await hydrated(check);
      await checkA11y(check, 'privacy');
    } finally {
      await withJs.close();
    }
  } finally {
    await browser.close();
  }
});
