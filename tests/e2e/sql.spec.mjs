// The SQL tab: the live preview of the input being typed, and the log of every statement,
// grouped by transaction, in either rendering, linked to its console entry, with query counts,
// autoflush / lazy-load marks, the N+1 hint, copy and clear.
import { test, expect, openApp, runConsole, applyModels, consoleInput } from './fixtures.mjs';

const MODELS = `class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)
    books = db.relationship('Book', backref='author', lazy=True)

class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey('author.id'), nullable=False)

db.create_all()
`;

test('previews the SQL of the query being typed, without running it', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  const preview = page.locator('.sql-preview');
  await consoleInput(page).fill("Author.query.filter_by(name='Ada').order_by(Author.id)");
  await expect(preview.locator('.preview-sql')).toContainText('FROM author');
  await expect(preview.locator('.preview-sql')).toContainText('WHERE author.name = ?');
  await expect(preview.locator('.preview-sql')).toContainText('ORDER BY author.id');
  // Nothing ran.
  await expect(page.locator('.sql-log .stmt').filter({ hasText: 'WHERE author.name' })).toHaveCount(0);

  await consoleInput(page).fill('for author in Author.query:');
  await expect(preview.locator('.preview-note')).toHaveText('incomplete input');
});

test('groups statements by transaction, nests savepoints, and shows either rendering', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await runConsole(page, "db.session.add(Author(name='Ada'))");
  await runConsole(page, 'db.session.commit()');
  await runConsole(page, "nested = db.session.begin_nested(); db.session.add(Author(name='Grace')); db.session.flush(); nested.rollback()");
  await runConsole(page, 'db.session.rollback()');

  // (Applying the models committed create_all's transaction before.)
  await expect(page.locator('.sql-log li.transaction.committed').filter({ hasText: "('Ada',)" })).toHaveCount(1);
  const committed = page.locator('.sql-log li.transaction.committed').last();
  await expect(committed.locator('.boundary').first()).toContainText('BEGIN (implicit)');
  await expect(committed.locator('.boundary').last()).toContainText('COMMIT');
  const insert = committed.locator('.stmt').filter({ hasText: 'INSERT INTO author (name) VALUES (?)' });
  await expect(insert.locator('.params')).toContainText("('Ada',)");
  await expect(insert.locator('.rows')).toHaveText('1 row');
  await expect(insert.locator('.time')).toHaveText(/^\d+\.\d\d ms$/);

  const rolledBack = page.locator('.sql-log li.transaction.rolled-back');
  await expect(rolledBack).toHaveCount(1);
  const savepoint = rolledBack.locator('li.savepoint');
  await expect(savepoint).toHaveCount(1);
  await expect(savepoint.locator('.boundary').first()).toContainText('SAVEPOINT');
  await expect(savepoint.locator('.boundary').last()).toContainText('ROLLBACK TO SAVEPOINT');
  await expect(savepoint.locator('.stmt')).toContainText("('Grace',)");

  await page.getByRole('button', { name: 'GlueSQL ran' }).click();
  await expect(page.getByRole('button', { name: 'GlueSQL ran' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'SQLAlchemy echo' })).toHaveAttribute('aria-pressed', 'false');
  const ran = committed.locator('.stmt .sql');
  await expect(ran).toContainText("'Ada'");
  await expect(ran).not.toContainText('?');
  await expect(committed.locator('.boundary').first()).toContainText('not sent to GlueSQL');
});

test('links statements to the console entry that sent them, marks autoflush and lazy loads', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await runConsole(page, "ada = Author(name='Ada'); db.session.add(ada)");
  const counted = await runConsole(page, 'Author.query.count()');
  await expect(counted.locator('.query-count')).toHaveText('2 queries');

  const run = page.locator('.sql-log .command-run').filter({ hasText: '>>> Author.query.count()' });
  await expect(run.locator('.query-count')).toHaveText('2 queries in this command');
  await expect(run.locator('.stmt').filter({ hasText: 'INSERT INTO author' }).locator('.reason')).toHaveText('autoflush');

  await runConsole(page, "db.session.add(Book(title='Notes', author=ada)); db.session.commit()");
  await runConsole(page, 'ada.books');
  const lazy = page.locator('.sql-log .command-run').filter({ hasText: '>>> ada.books' });
  await expect(lazy.locator('.stmt').filter({ hasText: 'FROM book' }).locator('.reason')).toHaveText('lazy load');

  await run.getByRole('link', { name: '>>> Author.query.count()' }).click();
  await expect(counted).toHaveClass(/highlighted/);
  await expect(counted).toBeFocused();
  await expect(counted).toBeInViewport();
});

test('hints at N+1 queries when one command sends the same SELECT five times or more', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await runConsole(page, `for n in range(6):
    db.session.add(Book(title=f'Book {n}', author=Author(name=f'Author {n}')))
db.session.commit()`);
  const loop = await runConsole(page, 'for author in Author.query.all():\n    print(author.name, len(author.books))');
  await expect(loop.locator('.query-count')).toHaveText('7 queries');
  await expect(loop.locator('.n-plus-one')).toContainText('same SELECT ran 6 times');

  const hint = page.locator('.sql-log .command-run').filter({ hasText: '>>> for author in Author.query.all():' }).getByRole('note');
  await expect(hint).toContainText('Possible N+1 queries');
  await expect(hint).toContainText('5 or more');
  await expect(hint).toContainText('selectinload');

  // The log follows the newest statements; the preview stays in view above it.
  await expect(page.locator('.sql-log .stmt').last()).toBeInViewport();
  await expect(page.locator('.sql-preview')).toBeInViewport();

  // Loading the relationship with the query sends two SELECTs and no hint.
  const eager = await runConsole(page, 'for author in Author.query.options(db.selectinload(Author.books)):\n    len(author.books)');
  await expect(eager.locator('.query-count')).toHaveText('2 queries');
  await expect(eager.locator('.n-plus-one')).toHaveCount(0);
});

test('copies the log to the clipboard and clears it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await runConsole(page, "db.session.add(Author(name='Ada')); db.session.commit()");
  await page.getByRole('button', { name: 'Copy' }).click();
  await expect(page.locator('.copy-status')).toHaveText(/^Copied \d+ lines\.$/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('INSERT INTO author (name) VALUES (?)');
  expect(copied).toContain("('Ada',)");
  expect(copied).toContain('COMMIT');

  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.locator('.sql-log .stmt')).toHaveCount(0);
  await expect(page.getByText('No statements have run yet.')).toBeVisible();
  await runConsole(page, 'Author.query.count()');
  await expect(page.locator('.sql-log .stmt')).toHaveCount(1);
});

for (const width of [1024, 1440]) {
  test(`at ${width} px the live preview sits above the log and covers none of it`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height: 800 });
    await openApp(page, '/');
    await applyModels(page, MODELS);
    for (const name of ['Ada', 'Bo', 'Cy', 'Di']) {
      await runConsole(page, `db.session.add(Author(name='${name}')); db.session.commit()`);
    }
    await consoleInput(page).fill("Author.query.filter_by(name='Ada').order_by(Author.id)");
    const preview = page.getByRole('region', { name: 'Preview (not run)' });
    await expect(preview.locator('.preview-sql')).toContainText('FROM author');
    const log = page.getByRole('region', { name: 'Log' });
    // The log scrolls on its own, below the preview: its top edge (and so every statement in
    // view) is under the preview's bottom edge, scrolled to the top or to the newest.
    const previewBox = await preview.boundingBox();
    for (const scrolled of ['top', 'bottom']) {
      await log.evaluate((element, end) => { element.scrollTop = end === 'top' ? 0 : element.scrollHeight; }, scrolled);
      const logBox = await log.boundingBox();
      expect(logBox.y).toBeGreaterThanOrEqual(previewBox.y + previewBox.height);
      const firstInView = await log.evaluate((element) => {
        const top = element.getBoundingClientRect().top;
        const visible = [...element.querySelectorAll('.stmt')].find((statement) => statement.getBoundingClientRect().bottom > top);
        return visible.getBoundingClientRect().bottom;
      });
      expect(firstInView).toBeGreaterThan(previewBox.y + previewBox.height);
    }
    await expect(log.locator('.stmt').last()).toBeInViewport();
    await page.screenshot({ path: testInfo.outputPath(`sql-tab-${width}.png`) });
  });
}
