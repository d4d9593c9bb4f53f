// The session buttons and the commit stepper: Flush / Commit / Rollback as calling them on
// db.session; in step mode a commit or flush shows its plan and runs one statement per Step
// (the Tables tab showing the open transaction), Continue runs the rest, Rollback abandons it.
import { test, expect, openApp, runConsole, applyModels, dataCells } from './fixtures.mjs';

const MODELS = `class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)
    books = db.relationship('Book', backref='author')

class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey('author.id'), nullable=False)

db.create_all()
`;

const ADD_BOTH = "ada = Author(name='Ada'); db.session.add(Book(title='Notes', author=ada))";

test('the Flush, Commit and Rollback buttons act on db.session', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  const statements = page.locator('.sql-log .stmt');
  await runConsole(page, ADD_BOTH);

  await page.getByRole('button', { name: 'Flush' }).click();
  const flushed = page.locator('.console-output .entry').last();
  await expect(flushed.locator('.echo')).toContainText('[Flush button]');
  await expect(flushed.locator('.echo')).toContainText('db.session.flush()');
  await expect(statements.filter({ hasText: 'INSERT INTO author' })).toHaveCount(1);
  await expect(statements.filter({ hasText: 'INSERT INTO book' })).toHaveCount(1);

  await page.getByRole('button', { name: 'Rollback' }).click();
  await expect(page.locator('.sql-log li.transaction.rolled-back')).toHaveCount(1);
  const count = await runConsole(page, 'Author.query.count()');
  await expect(count.locator('.output')).toHaveText('0');

  await runConsole(page, ADD_BOTH);
  await page.getByRole('button', { name: 'Commit' }).click();
  await expect(page.locator('.sql-log li.transaction.committed').last()).toContainText('INSERT INTO book');
});

test('step mode pauses a commit, steps through its plan and continues to the commit', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  const stepMode = page.getByRole('switch', { name: 'Step mode' });
  await expect(stepMode).toHaveAttribute('aria-checked', 'false');
  await stepMode.click();
  await expect(stepMode).toHaveAttribute('aria-checked', 'true');

  await runConsole(page, ADD_BOTH);
  const paused = await runConsole(page, 'db.session.commit()');
  await expect(paused.locator('.paused-note')).toContainText('Paused in step mode');
  await expect(page.locator('.console-waiting')).toContainText('Waiting: a flush is paused');

  const stepper = page.getByRole('region', { name: /^Paused commit/ });
  await expect(stepper.getByRole('heading')).toHaveText('Paused commit: step 1 of 2 next');
  const steps = stepper.locator('.plan-step');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toContainText('author');
  await expect(steps.nth(0)).toHaveAttribute('aria-current', 'step');
  await expect(steps.nth(1)).toContainText('book');
  await expect(steps.nth(1).locator('.plan-reason')).toContainText('author');
  await expect(page.getByRole('button', { name: 'Commit' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Flush' })).toBeDisabled();

  await page.getByRole('tab', { name: 'Tables' }).click();
  const authors = page.locator('.table-snapshot').filter({ has: page.getByRole('heading', { name: /^author/ }) });
  await expect(authors.locator('.empty')).toHaveText('(no rows)');

  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(stepper.getByRole('heading')).toHaveText('Paused commit: step 2 of 2 next');
  await expect(steps.nth(0).locator('.plan-status')).toHaveText('done');
  // The open transaction's insert shows in the Tables tab, marked as such.
  expect(await dataCells(authors.locator('table').first())).toEqual([['1', "'Ada'"]]);
  await expect(authors.locator('tbody tr.row-inserted')).toHaveCount(1);

  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(stepper).toHaveCount(0);
  await expect(page.locator('.console-waiting')).toHaveCount(0);
  await expect(authors.locator('tbody tr.row-inserted')).toHaveCount(0);
  await page.getByRole('tab', { name: 'SQL' }).click();
  await expect(page.locator('.sql-log li.transaction.committed').last()).toContainText('INSERT INTO book');
  const count = await runConsole(page, 'Book.query.count()');
  await expect(count.locator('.output')).toHaveText('1');
});

test('Rollback abandons a paused flush and restores the tables', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await page.getByRole('switch', { name: 'Step mode' }).click();
  await runConsole(page, ADD_BOTH);
  await page.getByRole('button', { name: 'Commit' }).click();
  const stepper = page.getByRole('region', { name: /^Paused commit/ });
  await expect(stepper).toBeVisible();
  await page.getByRole('button', { name: 'Step', exact: true }).click();

  await page.getByRole('tab', { name: 'Tables' }).click();
  const authors = page.locator('.table-snapshot').filter({ has: page.getByRole('heading', { name: /^author/ }) });
  await expect(authors.locator('tbody tr.row-inserted')).toHaveCount(1);

  await page.getByRole('button', { name: 'Rollback' }).click();
  await expect(stepper).toHaveCount(0);
  await expect(authors.locator('.empty')).toHaveText('(no rows)');
  await page.getByRole('tab', { name: 'SQL' }).click();
  await expect(page.locator('.sql-log li.transaction.rolled-back')).toHaveCount(1);
  const count = await runConsole(page, 'Author.query.count()');
  await expect(count.locator('.output')).toHaveText('0');
});
