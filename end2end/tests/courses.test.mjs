// Training in real Chromium at 360 × 740: a seller enrols, reads lessons,
// passes a module's quiz and sees the progress bars move; lessons and
// quizzes without JavaScript; the certificate page and its print on one
// A4 page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, hydrated, checkA11y, shot, noHorizontalScroll, sql, signIn as signInAs } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

const signIn = (page, who) => signInAs(page, server, who);

/** Ticks the correct choices of the open attempt (only the server's
 * database knows them) and submits it. */
async function answerRightly(page) {
  const attempt = await page.getAttribute('#quiz-form input[name=attempt]', 'value');
  const rows = sql(server, `select a.position, c.id from attempt_questions a
      join quiz_choices c on c.question_id = a.question_id
      where a.attempt_id = ${Number(attempt)} and c.correct = 1`);
  assert.ok(rows.length >= 5);
  for (const [position, choice] of rows) {
    await page.check(`#q${position}-c${choice}`);
  }
  await page.click('#quiz-form button[type=submit]');
}

test('a seller enrols, finishes a module with its quiz and sees the progress move', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'penjual6@contoh.id');
    await page.goto(server.url + '/courses');
    await hydrated(page);
    await page.waitForSelector('#course-list li');
    await checkA11y(page, 'catalogue');
    await noHorizontalScroll(page);
    await shot(page, 'catalogue');
    await page.click('#course-list >> text=Membuka Toko di Marketplace');
    await page.waitForURL('**/courses/buka-toko-online');
    await checkA11y(page, 'course');
    await page.click('#enrol-form button[type=submit]');
    await page.waitForURL('**/courses/buka-toko-online?enrolled=1');
    assert.equal(await page.getAttribute('#course-progress', 'value'), '0');
    await page.click('#resume');
    await page.waitForSelector('.lesson-body h2, .lesson-body p');
    await hydrated(page);
    await checkA11y(page, 'lesson');
    await noHorizontalScroll(page);
    await shot(page, 'lesson');
    await page.click('#lesson-done-form button[type=submit]');
    await page.waitForURL('**/lessons/*');
    await page.click('#lesson-done-form button[type=submit]');
    // The module's last lesson leads to its quiz.
    await page.waitForURL('**/quiz/*');
    await hydrated(page);
    await checkA11y(page, 'quiz-start');
    await page.click('#quiz-start-form button[type=submit]');
    await page.waitForSelector('#quiz-form fieldset');
    assert.equal(await page.locator('#quiz-form fieldset').count(), 5);
    await checkA11y(page, 'quiz');
    await noHorizontalScroll(page);
    await shot(page, 'quiz');
    await answerRightly(page);
    await page.waitForSelector('#quiz-score:has-text("Lulus")');
    await checkA11y(page, 'quiz-result');
    await page.goto(server.url + '/courses/buka-toko-online');
    await page.waitForSelector('#module-1 .step-state.done');
    assert.equal(await page.getAttribute('#course-progress', 'value'), '2');
    assert.equal(await page.getAttribute('#module-progress-1', 'value'), '2');
    // Module 2 is open now; the home page lists the course.
    await page.waitForSelector('#module-2 .lessons a');
    await page.goto(server.url + '/');
    await page.waitForSelector('#my-courses li:has-text("Membuka Toko")');
  } finally {
    await browser.close();
  }
});

test('lessons and quizzes work without JavaScript, up to a printable certificate', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  let certificate;
  try {
    const page = await browser.newPage();
    await signIn(page, 'penjual8@contoh.id');
    await page.goto(server.url + '/courses/legalitas-nib-oss');
    await page.click('#enrol-form button[type=submit]');
    await page.waitForURL('**/courses/legalitas-nib-oss?enrolled=1');
    await page.click('#resume');
    for (let i = 0; i < 3; i++) {
      await page.waitForSelector('#lesson-done-form');
      await page.click('#lesson-done-form button[type=submit]');
      await page.waitForLoadState('load');
    }
    await page.waitForURL('**/quiz/*');
    await page.click('#quiz-start-form button[type=submit]');
    await page.waitForSelector('#quiz-form fieldset');
    // Submitting with nothing ticked: a message, the attempt still open.
    await page.click('#quiz-form button[type=submit]');
    await page.waitForSelector('#quiz-form .form-error');
    await answerRightly(page);
    await page.waitForSelector('#quiz-score:has-text("Lulus")');
    await page.goto(server.url + '/courses/legalitas-nib-oss');
    await page.waitForSelector('#course-complete a');
    certificate = await page.getAttribute('#course-complete a', 'href');
  } finally {
    await browser.close();
  }
  assert.match(certificate, /^\/certificates\/NK-/);
  // Anyone opens it; it prints on one A4 page.
  const viewer = await launch();
  try {
    const page = await viewer.newPage();
    await page.goto(server.url + certificate);
    await page.waitForSelector('#certificate .qr svg');
    assert.ok((await page.textContent('#holder')).trim().length > 0);
    await hydrated(page);
    await checkA11y(page, 'certificate');
    await noHorizontalScroll(page);
    await shot(page, 'certificate');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(pages, 1, 'the certificate prints on one A4 page');
    const unknown = await page.goto(server.url + '/certificates/NK-2345-6789-ABCD-EFGH');
    assert.equal(unknown.status(), 404);
    await page.waitForSelector('#certificate-unknown');
    await checkA11y(page, 'certificate-unknown');
  } finally {
    await viewer.close();
  }
});

test('a trainer creates a course with a quiz and publishes it', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, 'pelatih@naikkelas.id');
    await page.goto(server.url + '/teach');
    await hydrated(page);
    await checkA11y(page, 'teach-list');
    await noHorizontalScroll(page);
    await page.fill('#slug', 'kemasan-produk');
    await page.fill('#title_id', 'Kemasan Produk yang Menjual');
    await page.fill('#summary_id', 'Memilih kemasan yang aman, menarik dan sesuai aturan label.');
    await page.selectOption('#cluster', 'food_beverages');
    await page.fill('#minutes', '20');
    await page.click('#create-course-form button[type=submit]');
    await page.waitForURL('**/teach/kemasan-produk?saved=1');
    await hydrated(page);
    await checkA11y(page, 'teach-course');
    await noHorizontalScroll(page);
    await page.fill('#module_title_id', 'Dasar kemasan');
    await page.click('#module-form button[type=submit]');
    await page.waitForSelector('#teach-modules li a');
    await page.click('#teach-modules li a');
    await page.waitForURL('**/modules/*');
    await hydrated(page);
    await checkA11y(page, 'teach-module');
    await page.click('#lesson-add-form button[type=submit]');
    await page.waitForURL('**/teach/kemasan-produk/lessons/*');
    await hydrated(page);
    await checkA11y(page, 'teach-lesson');
    await noHorizontalScroll(page);
    await page.fill('#title_id', 'Fungsi kemasan');
    await page.fill('#body_id', '## Melindungi\n\nKemasan melindungi produk dari **udara dan air**.\n\n- kuat\n- rapat');
    await page.click('#lesson-form button[type=submit]');
    await page.waitForURL('**/lessons/*?saved=1');
    await page.click('text=Kembali ke kursus');
    await page.click('#teach-modules li a');
    await page.waitForURL('**/modules/*');
    await page.fill('#pass_percent', '100');
    await page.fill('#draw', '1');
    await page.fill('#max_attempts', '3');
    await page.click('#quiz-settings-form button[type=submit]');
    await page.waitForSelector('#question-form');
    await page.fill('#text_id', 'Apa fungsi utama kemasan?');
    await page.fill('#choice1_id', 'Melindungi produk');
    await page.check('#choice1_ok');
    await page.fill('#choice2_id', 'Menambah berat');
    await page.click('#question-form button[type=submit]');
    await page.waitForSelector('#teach-questions li:has-text("Apa fungsi utama kemasan?")');
    await checkA11y(page, 'teach-module-quiz');
    await page.click('text=Kembali ke kursus');
    await page.click('#publish-form button[type=submit]');
    await page.waitForSelector('#publish-form button:has-text("Tarik dari katalog")');
    await page.goto(server.url + '/courses?q=kemasan');
    await page.waitForSelector('#course-list li:has-text("Kemasan Produk yang Menjual")');
  } finally {
    await browser.close();
  }
});
