// The console as `flask shell`: prompts, blocks, history, completion, tracebacks, Ctrl+L;
// and the page as a whole (models, console, SQL and tables), served at / and a sub-path.
import { fileURLToPath } from 'node:url';
import { test, expect, openApp, runConsole, applyModels, consoleInput, dataCells } from './fixtures.mjs';
import { SUB_PATH } from './static-server.mjs';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));

const MODELS = `from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)

class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)

with app.app_context():
    db.create_all()
`;

for (const path of ['/', SUB_PATH]) {
  test(`runs models and console input, shows the SQL and the rows, served at ${path}`, async ({ page }) => {
    await openApp(page, path);
    await expect(consoleInput(page)).toBeFocused();
    await applyModels(page, MODELS);

    await runConsole(page, "db.session.add_all([Author(name='Ada'), Author(name='Grace')])");
    await runConsole(page, 'db.session.commit()');
    const entry = await runConsole(page, 'Author.query.order_by(Author.name.desc()).all()');
    await expect(entry.locator('.output')).toHaveText('[<Author 2>, <Author 1>]');

    const log = page.locator('.sql-log .stmt');
    await expect(log.filter({ hasText: 'CREATE TABLE author' })).toHaveCount(1);
    await expect(log.filter({ hasText: 'INSERT INTO author (name) VALUES (?)' })).toHaveCount(2);
    await expect(log.filter({ hasText: 'ORDER BY author.name DESC' })).toHaveCount(1);

    await page.getByRole('tab', { name: 'Tables' }).click();
    const snapshot = page.locator('.table-snapshot');
    await expect(snapshot.locator('h3')).toContainText('author');
    expect(await dataCells(snapshot.locator('table').first())).toEqual([
      ['1', "'Ada'"],
      ['2', "'Grace'"],
    ]);
  });
}

test('Enter runs a statement, continues a block with ... and a blank line ends it', async ({ page }) => {
  await openApp(page, '/');
  const input = consoleInput(page);
  const entries = page.locator('.console-output .entry');
  const gutter = page.locator('.console-input .prompt-gutter');
  await expect(gutter).toHaveText('>>>');

  await input.pressSequentially('total = 0');
  await input.press('Enter');
  await expect(entries).toHaveCount(1);
  await expect(input).toHaveValue('');

  await input.pressSequentially('for i in range(3):');
  await input.press('Enter');
  await expect(entries).toHaveCount(1);
  await expect(input).toHaveValue('for i in range(3):\n    ');
  await expect(gutter).toHaveText('>>>\n...');
  await input.pressSequentially('total += i');
  await input.press('Enter');
  await input.pressSequentially('print(i, total)');
  await input.press('Enter');
  await expect(entries).toHaveCount(1);
  await input.press('Enter');
  await expect(entries).toHaveCount(2);

  const block = entries.nth(1);
  await expect(block.locator('.echo')).toHaveText('>>> for i in range(3):\n...     total += i\n...     print(i, total)\n');
  await expect(block.locator('.output')).toHaveText('0 0\n1 1\n2 3\n');

  // Expressions print their repr, None prints nothing, as in the interactive shell.
  const repr = await runConsole(page, `"it's"`);
  await expect(repr.locator('.output')).toHaveText(`"it's"`);
  const none = await runConsole(page, 'None');
  await expect(none.locator('.output')).toHaveCount(0);
});

test('Shift+Enter adds a line without running it', async ({ page }) => {
  await openApp(page, '/');
  const input = consoleInput(page);
  await input.pressSequentially('x = 6');
  await input.press('Shift+Enter');
  await input.pressSequentially('x * 7');
  await expect(page.locator('.console-output .entry')).toHaveCount(0);
  await expect(input).toHaveValue('x = 6\nx * 7');
  await input.press('Enter');
  const entry = page.locator('.console-output .entry').first();
  await expect(entry.locator('.output')).toHaveText('42');
});

test('Up and Down walk the history', async ({ page }) => {
  await openApp(page, '/');
  const input = consoleInput(page);
  await runConsole(page, 'a = 1');
  await runConsole(page, 'b = 2');
  await input.pressSequentially('draft');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('b = 2');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('a = 1');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('b = 2');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('draft');
});

test('Tab completes names, and lists model attributes and methods when several match', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  const input = consoleInput(page);
  await input.pressSequentially('Auth');
  await input.press('Tab');
  await expect(input).toHaveValue('Author');

  await input.pressSequentially('.query.fi');
  await input.press('Tab');
  const list = page.getByRole('listbox', { name: 'Completions' });
  await expect(list).toBeVisible();
  await expect(list.getByRole('option', { name: 'filter_by', exact: true })).toBeVisible();
  await expect(list.getByRole('option', { name: 'first', exact: true })).toBeVisible();
  await expect(input).toHaveValue('Author.query.fi');

  // The arrow keys move through the list; Enter takes the highlighted option.
  const options = await list.getByRole('option').allTextContents();
  await input.press('ArrowDown');
  await expect(list.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await input.press('Enter');
  await expect(list).toHaveCount(0);
  await expect(input).toHaveValue(`Author.query.${options[1]}`);

  await input.fill('Author.na');
  await input.press('End');
  await input.press('Tab');
  await expect(input).toHaveValue('Author.name');
});

test('a traceback shows in red with the failing line marked', async ({ page }) => {
  await openApp(page, '/');
  const entry = await runConsole(page, 'x = 1\ny = x / 0\nprint(y)');
  const traceback = entry.getByRole('alert');
  await expect(traceback).toContainText('Traceback (most recent call last):');
  await expect(traceback).toContainText('ZeroDivisionError: division by zero');
  const color = await traceback.evaluate((element) => getComputedStyle(element).color);
  const [red, green, blue] = color.match(/\d+/g).map(Number);
  expect(red).toBeGreaterThan(green + 60);
  expect(red).toBeGreaterThan(blue + 60);
  await expect(entry.locator('mark.failing-line')).toHaveText('y = x / 0\n');
});

test('Ctrl+L clears the console', async ({ page }) => {
  await openApp(page, '/');
  await runConsole(page, 'print("one")');
  await runConsole(page, 'print("two")');
  await consoleInput(page).press('Control+l');
  await expect(page.locator('.console-output .entry')).toHaveCount(0);
  const after = await runConsole(page, 'print("three")');
  await expect(after.locator('.output')).toHaveText('three\n');
});

test('shows errors and keeps working after them', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);

  const syntax = await runConsole(page, 'Author.query.all(');
  await expect(syntax.getByRole('alert')).toContainText('SyntaxError');

  await runConsole(page, "db.session.add(Author(name='Ada'))");
  await runConsole(page, 'db.session.commit()');
  const duplicate = await runConsole(page, "db.session.add(Author(name='Ada')); db.session.commit()");
  await expect(duplicate.getByRole('alert')).toContainText('IntegrityError');
  await expect(duplicate.getByRole('alert')).toContainText('UNIQUE constraint failed: author.name');

  await runConsole(page, 'db.session.rollback()');
  const after = await runConsole(page, 'Author.query.count()');
  await expect(after.locator('.output')).toHaveText('1');
  await expect(after.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('.sql-log .stmt.failed')).toHaveCount(1);
});

test("reaches the browser's clock", async ({ page }) => {
  await openApp(page, '/');
  const entry = await runConsole(page, 'import datetime; datetime.datetime.now().year >= 2024');
  await expect(entry.locator('.output')).toHaveText('True');
});

test('shows user text as text, never as markup', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  const markup = '<img src=x onerror=alert(1)><b>bold</b>';
  const entry = await runConsole(page, `db.session.add(Author(name='${markup}')); db.session.commit(); print(Author.query.first().name)`);
  await expect(entry.locator('.output')).toHaveText(`${markup}\n`);
  await expect(entry.locator('.echo')).toContainText(markup);
  await page.getByRole('tab', { name: 'Tables' }).click();
  expect(await dataCells(page.locator('.table-snapshot table').first())).toEqual([['1', `'${markup}'`]]);
  await expect(page.locator('img, b')).toHaveCount(0);
});

test('writes the README screenshot', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await runConsole(page, "db.session.add_all([Author(name='Ada'), Author(name='Grace')])");
  await runConsole(page, 'db.session.commit()');
  await runConsole(page, "Author.query.filter(Author.name.startswith('G')).all()");
  await page.screenshot({ path: SCREENSHOT });
});

test('a long input is echoed by its start, its end and its failing line, in full on request', async ({ page }) => {
  await openApp(page, '/');
  const lines = Array.from({ length: 60 }, (_, i) => `x${i} = ${i}`);
  lines[44] = 'y = missing';
  const entry = await runConsole(page, `${lines.join('\n')}\nprint(x59)`);
  await expect(entry.getByRole('alert')).toContainText("NameError: name 'missing' is not defined");
  const echo = entry.locator('.echo');
  await expect(echo.locator('.failing-line')).toHaveText('y = missing\n');
  await expect(echo.locator('.elided-lines')).toHaveText(['... (12 more lines)\n', '... (9 more lines)\n']);
  await expect(echo).not.toContainText('x40 = 40');
  await expect(echo).toContainText('... print(x59)');
  await entry.getByRole('button', { name: 'Show all 61 lines' }).click();
  await expect(echo).toContainText('x40 = 40');
  await expect(echo.locator('.elided-lines')).toHaveCount(0);
  await expect(echo.locator('.failing-line')).toHaveText('y = missing\n');
});
