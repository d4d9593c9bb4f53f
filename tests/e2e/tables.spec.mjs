// The Tables tab: every table with its column types and constraints, rows the open
// transaction changed highlighted (and its deletions listed), sorting by column, and
// virtualised scrolling through 100,000 rows.
import { test, expect, openApp, runConsole, applyModels, dataCells } from './fixtures.mjs';

const MODELS = `class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)

class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80), nullable=False)
    pages = db.Column(db.Integer)
    author_id = db.Column(db.Integer, db.ForeignKey('author.id'), nullable=False)

class Reading(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    n = db.Column(db.Integer)

db.create_all()
`;

function tableSection(page, name) {
  return page.locator('.table-snapshot').filter({ has: page.getByRole('heading', { name: new RegExp(`^${name}`) }) });
}

test('shows types and constraints in the header and sorts by a column', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await runConsole(page, `ada = Author(name='Ada'); bo = Author(name='Bo')
db.session.add_all([ada, bo]); db.session.commit()
db.session.add_all([Book(title='Cyphers', pages=30, author_id=1), Book(title='Atlas', pages=120, author_id=2), Book(title='Bells', author_id=1)])
db.session.commit()`);
  await page.getByRole('tab', { name: 'Tables' }).click();
  const books = tableSection(page, 'book');
  const header = (name) => books.locator('thead th').filter({ has: page.getByRole('button', { name, exact: true }) });
  await expect(header('id').locator('.constraint')).toHaveText(['PK']);
  await expect(header('title').locator('.constraint')).toHaveText(['NOT NULL']);
  await expect(header('title').locator('.column-type')).toHaveText(/VARCHAR\(80\)/i);
  await expect(header('pages').locator('.constraint')).toHaveCount(0);
  await expect(header('author_id').locator('.constraint')).toHaveText(['FK → author.id', 'NOT NULL']);
  await expect(tableSection(page, 'author').locator('thead th').filter({ hasText: 'name' }).locator('.constraint')).toHaveText(['UNIQUE', 'NOT NULL']);
  await expect(books.locator('h3 .row-count')).toHaveText('3 rows');

  const table = books.locator('table').first();
  const titles = async () => (await dataCells(table)).map((row) => row[1]);
  expect(await titles()).toEqual(["'Cyphers'", "'Atlas'", "'Bells'"]);
  await header('title').getByRole('button').click();
  await expect(header('title')).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(titles).toEqual(["'Atlas'", "'Bells'", "'Cyphers'"]);
  await header('title').getByRole('button').click();
  await expect(header('title')).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(titles).toEqual(["'Cyphers'", "'Bells'", "'Atlas'"]);
  await header('pages').getByRole('button').click();
  await expect(header('title')).toHaveAttribute('aria-sort', 'none');
  await expect(header('pages')).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await dataCells(table)).map((row) => row[2])).toEqual(['None', '30', '120']);
});

test('highlights what the open transaction inserted, updated and deleted', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await runConsole(page, "db.session.add_all([Author(name='Ada'), Author(name='Bo')]); db.session.commit()");
  await runConsole(page, "db.session.get(Author, 1).name = 'Ada L.'; db.session.delete(db.session.get(Author, 2)); db.session.add(Author(name='Cy')); db.session.flush()");
  await page.getByRole('tab', { name: 'Tables' }).click();
  const authors = tableSection(page, 'author');
  const table = authors.locator('table').first();
  await expect(table.locator('tr.row-updated td:not(.change-cell)')).toHaveText(['1', "'Ada L.'"]);
  await expect(table.locator('tr.row-updated .change-cell')).toContainText('updated');
  await expect(table.locator('tr.row-inserted td:not(.change-cell)')).toHaveText(['3', "'Cy'"]);
  await expect(table.locator('tr.row-inserted .change-cell')).toContainText('inserted');
  const deleted = authors.locator('.deleted-rows');
  await expect(deleted.getByRole('heading')).toHaveText('Deleted by the open transaction (1)');
  await expect(deleted.locator('tbody td')).toHaveText(['2', "'Bo'"]);

  await runConsole(page, 'db.session.commit()');
  await expect(table.locator('tr.row-updated, tr.row-inserted')).toHaveCount(0);
  await expect(authors.locator('.deleted-rows')).toHaveCount(0);
});

test('scrolls through 100,000 rows rendering only the rows in view', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page, '/');
  await applyModels(page, MODELS);
  const entry = await runConsole(page, `for start in range(0, 100000, 10000):
    db.session.add_all([Reading(n=i) for i in range(start, start + 10000)])
db.session.commit()
print(Reading.query.count())`);
  await expect(entry.locator('.output')).toHaveText('100000\n', { timeout: 240_000 });

  await page.getByRole('tab', { name: 'Tables' }).click();
  const readings = tableSection(page, 'reading');
  await expect(readings.locator('h3 .row-count')).toHaveText('100000 rows');
  const scroller = readings.locator('.table-scroll');
  // The third table: scroll the tab down to it, as a user would.
  await scroller.scrollIntoViewIfNeeded();
  const rows = readings.locator('table').first().locator('tbody tr:not(.spacer)');
  await expect(rows.first().locator('td').nth(1)).toHaveText('1');
  expect(await rows.count()).toBeLessThan(200);

  // To the end, in steps as a user's wheel would, then straight there.
  for (let step = 1; step <= 4; step += 1) {
    await scroller.evaluate((element, fraction) => { element.scrollTop = element.scrollHeight * fraction; }, step / 5);
  }
  await scroller.evaluate((element) => { element.scrollTop = element.scrollHeight; });
  await expect(rows.last().locator('td').nth(1)).toHaveText('100000');
  await expect(rows.last().locator('td').nth(2)).toHaveText('99999');
  await expect(rows.last()).toHaveAttribute('aria-rowindex', '100001');
  await expect(rows.last()).toBeInViewport();
  expect(await rows.count()).toBeLessThan(200);

  await scroller.evaluate((element) => { element.scrollTop = 0; });
  await expect(rows.first().locator('td').nth(1)).toHaveText('1');
  await expect(rows.first()).toBeInViewport();
  expect(await rows.count()).toBeLessThan(200);
});
