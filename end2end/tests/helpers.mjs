// Shared pieces of the browser tests: a real server on a free port with a
// fresh SQLite database, Debian's Chromium through playwright-core, axe-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const artifacts = join(root, 'end2end', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const serverBin = process.env.SERVER_BIN || join(root, 'target', 'debug', 'server');
const axeSource = readFileSync(join(root, 'end2end', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** The password every demo account gets in the browser tests (seed-demo
 * makes random ones unless DEMO_PASSWORD is set). */
export const DEMO_PASSWORD = 'uji-peramban-naik-kelas';

/** Starts the server with demo accounts on a fresh database. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'naik-kelas-e2e-'));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${dir}/e2e.db`,
    LISTEN_ADDR: '127.0.0.1:0',
    SITE_ROOT: join(root, 'target', 'site'),
    // The outbox transport prints every message in the log: the tests read
    // codes and links there, as a `.ci/start` user does.
    LOG_LEVEL: 'warn,outbox=info',
    DEMO_PASSWORD,
  };
  execFileSync(serverBin, ['seed-curriculum'], { env, stdio: 'ignore' });
  execFileSync(serverBin, ['seed-demo'], { env, stdio: 'ignore' });
  const child = spawn(serverBin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; process.stderr.write(chunk); });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 30000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on('exit', (code) => fail(new Error(`server exited with ${code}: ${out}`)));
  });
  return { url, db: `${dir}/e2e.db`, stop: () => child.kill('SIGTERM'), log: () => log };
}

/** Waits for the newest outbox message to `to` in the server's log and
 * returns its code (six digits) or link (`…?v=…&t=…`). */
export async function sentSecret(server, to, { link = false } = {}) {
  for (let i = 0; i < 100; i++) {
    const entries = server.log().split(/(?=\S*\s*INFO outbox)/).filter((e) => e.includes(`to=${to} `));
    const entry = entries.at(-1);
    const last = entry && entry.slice(entry.indexOf(' body='));
    if (last) {
      const m = link ? last.match(/https?:\/\/\S+\?v=[0-9a-f]+&t=[0-9a-f]+/) : last.match(/(?<!\d)\d{6}(?!\d)/);
      if (m) return m[0];
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`no message to ${to} in the log:\n${server.log()}`);
}

/** A fresh headless Chromium, 360 × 740, Indonesian unless told otherwise. */
export async function launch({ javaScriptEnabled = true, locale = 'id-ID' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'naik-kelas-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    javaScriptEnabled,
    locale,
    viewport: { width: 360, height: 740 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Waits until the page has hydrated (an effect marks <main>). */
export async function hydrated(page) {
  await page.waitForSelector('main[data-hydrated="true"]', { timeout: 20000 });
}

/** Runs axe-core; fails on any serious or critical violation. */
export async function checkA11y(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const text = bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`).join('\n');
    throw new Error(`accessibility violations on ${name}:\n${text}`);
  }
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** The page may not scroll sideways at 360 px. */
export async function noHorizontalScroll(page) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 362) throw new Error(`page is ${wide}px wide at 360px`);
}

/** Reads the server's SQLite database (sqlite3 CLI, read-only): what only
 * the server knows, such as a quiz's correct answers. */
export function sql(server, query) {
  return execFileSync('sqlite3', ['-readonly', server.db, query], { encoding: 'utf8' })
    .trim().split('\n').filter(Boolean).map((row) => row.split('|'));
}

/** Signs a demo account in (the demo password) on `server`. */
export async function signIn(page, server, who) {
  await page.goto(server.url + '/login');
  await page.fill('#identifier', who);
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL('**/account');
}
