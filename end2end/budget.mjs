// The wasm budget (issue 11): every page the browser tests visit is opened
// in Chromium against the RELEASE build, and the wasm and JS it fetches are
// summed (gzip -9, as they travel). Fails when any page is over the budget
// in end2end/budget.json. Run by .ci/test after `cargo leptos build --release`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { startServer, launch, hydrated, DEMO_PASSWORD, root } from './tests/helpers.mjs';

const budget = JSON.parse(readFileSync(join(root, 'end2end', 'budget.json'), 'utf8'));
const server = await startServer();
const browser = await launch();
const rows = [];
try {
  const page = await browser.newPage();
  const fetched = new Map();
  page.on('response', async (res) => {
    const url = new URL(res.url());
    if (!/\.(wasm|js)$/.test(url.pathname)) return;
    try {
      const body = await res.body();
      fetched.set(url.pathname, gzipSync(body, { level: 9 }).length);
    } catch { /* a redirect or aborted load has no body */ }
  });
  const visit = async (name, path, signIn) => {
    fetched.clear();
    if (signIn) {
      await page.goto(server.url + '/login');
      await page.fill('#identifier', 'admin@naikkelas.id');
      await page.fill('#password', DEMO_PASSWORD);
      await page.click('#login-form button[type=submit]');
      await page.waitForURL('**/account');
      fetched.clear();
    }
    // A fresh load with an empty cache: everything the page needs.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await page.goto(server.url + path);
    await hydrated(page);
    await page.waitForLoadState('networkidle');
    const total = [...fetched.values()].reduce((a, b) => a + b, 0);
    rows.push({ page: name, files: [...fetched.keys()].join(' '), gzip: total });
  };
  await visit('home', '/');
  await visit('register', '/register');
  await visit('login', '/login');
  await visit('not found', '/no-such-page');
  await visit('account', '/account', true);
  await visit('admin users', '/admin/users');
} finally {
  await browser.close();
  server.stop();
}
console.table(rows);
const worst = rows.reduce((a, b) => (b.gzip > a.gzip ? b : a));
console.log(`largest: ${worst.page}, ${worst.gzip} B gzip (budget ${budget.max_gzip_bytes} B)`);
if (worst.gzip > budget.max_gzip_bytes) {
  console.error(`over the wasm + JS budget on ${worst.page}`);
  process.exit(1);
}
if (rows.some((r) => r.gzip === 0)) {
  console.error('a page fetched no wasm or JS: the measurement is broken');
  process.exit(1);
}
