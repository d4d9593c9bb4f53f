import { fileURLToPath } from 'node:url';
import { test, expect, openApp, runConsole, applyModels } from './fixtures.mjs';
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

/** The text of every cell of a rendered table, row by row. */
async function cells(table) {
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
  );
}

for (const path of ['/', SUB_PATH]) {
  test(`runs models and console input, shows the SQL and the rows, served at ${path}`, async ({ page }) => {
    await openApp(page, path);
    await expect(page.getByLabel('Python to run')).toBeFocused();
    await applyModels(page, MODELS);

    await runConsole(page, "db.session.add_all([Author(name='Ada'), Author(name='Grace')])");
    await runConsole(page, 'db.session.commit()');
    const entry = await runConsole(page, 'Author.query.order_by(Author.name.desc()).all()');
    await expect(entry.locator('.output')).toHaveText('[<Author 2>, <Author 1>]');

    const log = page.locator('.sql-log li');
    await expect(log.filter({ hasText: 'CREATE TABLE author' })).toHaveCount(1);
    await expect(log.filter({ hasText: 'INSERT INTO author (name) VALUES (?)' })).toHaveCount(2);
    await expect(log.filter({ hasText: 'ORDER BY author.name DESC' })).toHaveCount(1);

    await page.getByRole('tab', { name: 'Tables' }).click();
    const snapshot = page.locator('.table-snapshot');
    await expect(snapshot.locator('h3')).toHaveText('author');
    expect(await cells(snapshot.locator('table'))).toEqual([
      ['1', "'Ada'"],
      ['2', "'Grace'"],
    ]);
  });
}

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
  await expect(page.locator('.sql-log li.failed')).toHaveCount(1);
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
  await expect(entry.locator('.output')).toHaveText(markup);
  await expect(entry.locator('.echo')).toContainText(markup);
  await page.getByRole('tab', { name: 'Tables' }).click();
  await expect(page.locator('.table-snapshot td').nth(1)).toHaveText(`'${markup}'`);
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
