// Robustness in the browser: bad, huge and hostile input gives a clear error in the page,
// never a panic (the fixture fails a test on any page error), runaway scripts end with an
// error and the console answers the next command, and HTML / JS payloads — as data, as
// table and column names, in console output — show as text and run nothing.
import { readFileSync } from 'node:fs';
import { test, expect, openApp, dataCells } from './fixtures.mjs';

const PAYLOADS = JSON.parse(readFileSync(new URL('../../crates/engine/tests/robustness_payloads.json', import.meta.url), 'utf8'));

/** A Python string literal for `text` (JSON's escapes are valid Python). */
const literal = (text) => JSON.stringify(text);

function consoleInput(page) {
  return page.getByRole('textbox', { name: /Console|Python to run/ });
}

/** Inputs longer than this are pasted. Playwright's `fill` inserts text as an editing command,
 * which Chromium's textarea takes in time quadratic in the number of lines (10,000 lines: over
 * a minute, on a blank page too); a real paste of a megabyte takes a second or two. */
const PASTE_FROM = 10_000;

/** Puts `text` in `box` as a user would: typed (filled) when short, pasted when long. */
async function enter(page, box, text) {
  if (text.length < PASTE_FROM) {
    await box.fill(text);
    return;
  }
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await box.fill('');
  await box.press('Control+V');
  await expect.poll(() => box.evaluate((element) => element.value.length), { timeout: 30_000 }).toBe(text.length);
}

/** Runs console input with Enter (Ctrl+Enter if Enter only added a line); the new entry. */
async function run(page, source) {
  const entries = page.locator('.console-output .entry');
  const before = await entries.count();
  const input = consoleInput(page);
  await enter(page, input, source);
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
  await enter(page, page.getByRole('textbox', { name: 'Models' }), source);
  await page.getByRole('button', { name: 'Apply' }).click();
}

test('malformed, huge, deeply nested, unicode and NUL input gets a clear error and the console keeps working', async ({ page }) => {
  // About 15 s here, most of it Chromium taking a megabyte into a textarea.
  test.setTimeout(60_000);
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
  // Its echo shows the start and the end of the script, the rest on request.
  await expect(big.locator('.echo')).toContainText('... (79966 more lines)');
  await expect(big.locator('.echo')).toContainText('... print(v499)');
  // The input stays editable: ↑ brings the megabyte back, and it can be typed in.
  const input = consoleInput(page);
  await input.press('ArrowUp');
  await expect.poll(() => input.evaluate((element) => element.value.length)).toBe(megabyte.length + 12);
  await input.press('Control+End');
  await input.pressSequentially('0');
  await expect.poll(() => input.evaluate((element) => element.value.endsWith('print(v499)0'))).toBe(true);
  await expect(page.getByRole('region', { name: 'Preview (not run)' })).toContainText('too long to preview');
  await input.fill('');
  await expectAnswers(page);
});

test('a 10,000-line model file is highlighted where it is scrolled, edits and applies', async ({ page }) => {
  test.setTimeout(60_000);
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
  // Scrolled to the end, the last lines are highlighted and numbered.
  const editor = page.getByRole('textbox', { name: 'Models' });
  await editor.press('Control+End');
  await expect(page.locator('.editor-highlight')).toContainText("return f'<Model999 {self.name}>'");
  await expect(page.locator('.models-editor .gutter')).toContainText('10001');
  await editor.pressSequentially('# the end');
  await expect(page.locator('.editor-highlight .tok-comment').last()).toHaveText('# the end');
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

test('HTML and JS payloads as data, names, output and share links show as text and run nothing', async ({ page, browser }) => {
  const dialogs = [];
  const watchDialogs = (target) =>
    target.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
  watchDialogs(page);
  await openApp(page, '/');
  const countInjected = (target) =>
    target
      .locator('body script, body img, body iframe, body svg:not(.er-diagram), body details, body style, body b, body math, [onerror], [onload], [ontoggle], [onmouseover]')
      .count();
  const injectedBefore = await countInjected(page);

  await applyModels(
    page,
    'class Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    body = db.Column(db.String(200))\n',
  );
  // As data and as console output.
  const stored = await run(
    page,
    `payloads = ${JSON.stringify(PAYLOADS)}\nfor p in payloads:\n    db.session.add(Note(body=p))\n    print(p)\n\ndb.session.commit()\n` +
      `print('\\n'.join(repr(n.body) for n in Note.query.order_by(Note.id)))`,
  );
  await expect(stored.getByRole('alert')).toHaveCount(0);
  const printed = await stored.locator('.output').textContent();
  expect(printed.startsWith(`${PAYLOADS.join('\n')}\n`)).toBe(true);
  const reprs = printed.slice(PAYLOADS.join('\n').length + 1).trimEnd().split('\n');
  expect(reprs).toHaveLength(PAYLOADS.length);

  // As table names and column names (every one but NUL, which SQLite refuses too), each
  // table with the payload as its one value.
  const names = PAYLOADS.filter((p) => !p.includes('\0'));
  const classes = names
    .map(
      (payload, index) =>
        `class Odd${index}(db.Model):\n    __tablename__ = ${literal(payload)}\n    id = db.Column(db.Integer, primary_key=True)\n` +
        `    value = db.Column(${literal(payload)}, db.String(200))\n`,
    )
    .join('\n');
  const inserts = names.map((payload, index) => `db.session.add(Odd${index}(value=${literal(payload)}))`).join('\n');
  const created = await run(page, `${classes}\ndb.create_all()\n${inserts}\ndb.session.commit()\nprint(sum(m.query.count() for m in [${names.map((_, i) => `Odd${i}`).join(', ')}]))`);
  await expect(created.locator('.output')).toHaveText(String(names.length));

  await page.getByRole('tab', { name: 'Tables' }).click();
  const panel = page.getByRole('tabpanel');
  const notes = panel.getByRole('region', { name: /^note/ });
  expect((await dataCells(notes.getByRole('table'))).map((row) => row[1])).toEqual(reprs);
  // Each table's heading, column header and cell hold the payload as text, character for character.
  const sections = panel.locator('.table-snapshot');
  const titles = await sections.locator('h3').evaluateAll((headings) => headings.map((heading) => heading.firstChild.textContent));
  expect([...titles].sort()).toEqual([...names, 'note'].sort());
  const nameReprs = reprs.filter((_, index) => !PAYLOADS[index].includes('\0'));
  for (const [index, payload] of names.entries()) {
    const section = sections.nth(titles.indexOf(payload));
    await expect(section.getByRole('columnheader')).toHaveCount(3);
    const header = section.getByRole('columnheader').nth(2).getByRole('button');
    expect(await header.evaluate((button) => button.firstChild.textContent)).toBe(payload);
    expect(await dataCells(section.getByRole('table'))).toEqual([['1', nameReprs[index]]]);
  }
  await page.getByRole('tab', { name: 'SQL' }).click();
  await expect(page.getByRole('tabpanel')).toContainText('CREATE TABLE "<script>alert(1)</script>"');
  expect(await countInjected(page)).toBe(injectedBefore);

  // In a share link: the question shows the inputs as text; Run shows what they print as text.
  await page.getByRole('button', { name: 'Share' }).click();
  const shareDialog = page.getByRole('dialog', { name: 'Share this session' });
  const link = await shareDialog.getByRole('textbox', { name: 'Share link' }).inputValue();
  await shareDialog.getByRole('button', { name: 'Close' }).click();
  const other = await browser.newPage();
  watchDialogs(other);
  await other.goto(link);
  const question = other.getByRole('dialog', { name: 'Run this shared session?' });
  const sharedInputs = question.locator('pre.shared-code').nth(1);
  await expect(sharedInputs).toBeVisible();
  expect(await sharedInputs.textContent()).toContain(`payloads = ${JSON.stringify(PAYLOADS)}`);
  expect(await countInjected(other)).toBe(injectedBefore);
  await question.getByRole('button', { name: 'Run' }).click();
  const rerun = other.locator('.console-output .entry').first().locator('.output');
  await expect(rerun).toBeVisible();
  expect(await rerun.textContent()).toBe(printed);
  expect(await countInjected(other)).toBe(injectedBefore);
  await other.close();

  expect(dialogs).toEqual([]);
  await expectAnswers(page);
});
