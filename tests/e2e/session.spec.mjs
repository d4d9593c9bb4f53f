// The Session tab: every tracked object with its state (in words and colour), session.new,
// .dirty with old -> new values, .deleted, and the transaction badges, after every command.
import { test, expect, openApp, runConsole, applyModels } from './fixtures.mjs';

const MODELS = `class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)

db.create_all()
`;

test('follows objects through pending, persistent, dirty, deleted and detached', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await page.getByRole('tab', { name: 'Session' }).click();
  const panel = page.getByRole('tabpanel');
  const badges = panel.getByLabel('Session state');
  const newSet = panel.getByRole('region', { name: 'session.new' });
  const dirtySet = panel.getByRole('region', { name: 'session.dirty' });
  const deletedSet = panel.getByRole('region', { name: 'session.deleted' });
  const objects = panel.locator('table.objects tbody tr');

  await runConsole(page, "ada = Author(name='Ada'); grace = Author(name='Grace'); db.session.add_all([ada, grace])");
  await expect(newSet.locator('h4')).toHaveText('session.new (2)');
  await expect(newSet.locator('li')).toHaveCount(2);
  await expect(objects).toHaveCount(2);
  await expect(objects.first().locator('.state')).toHaveText('pending');
  await expect(badges).toContainText('no transaction');

  await runConsole(page, 'db.session.flush()');
  await expect(newSet.locator('h4')).toHaveText('session.new (0)');
  await expect(badges).toContainText('transaction open');
  await expect(objects.filter({ hasText: '<Author 1>' }).locator('.state')).toHaveText('persistent');

  await runConsole(page, "ada.name = 'Ada Lovelace'; db.session.delete(grace)");
  await expect(dirtySet.locator('h4')).toHaveText('session.dirty (1)');
  const change = dirtySet.locator('.change');
  await expect(change).toHaveText("name: 'Ada' → 'Ada Lovelace'");
  await expect(change.locator('del')).toHaveText("'Ada'");
  await expect(change.locator('ins')).toHaveText("'Ada Lovelace'");
  await expect(deletedSet.locator('li')).toHaveText('<Author 2>');
  await expect(objects.filter({ hasText: '<Author 2>' }).locator('.state')).toHaveText('persistent (marked for delete)');
  await expect(objects.filter({ hasText: '<Author 1>' }).locator('.state')).toHaveText('persistent (modified)');

  await runConsole(page, 'db.session.flush()');
  await expect(objects.filter({ hasText: '<Author 2>' }).locator('.state')).toHaveText('deleted');

  await runConsole(page, 'db.session.commit()');
  await expect(badges).toContainText('no transaction');
  await expect(objects).toHaveCount(1);
  await expect(objects.first().locator('.state')).toHaveText('persistent');
  // Committing expired the object: its attributes load again when read.
  await expect(objects.first().locator('.not-loaded').first()).toHaveText('not loaded');

  await runConsole(page, 'db.session.expunge(ada)');
  await expect(objects).toHaveCount(0);
  await expect(panel.getByText('The session tracks no objects.')).toBeVisible();
});

test('shows states in colour and in words', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await page.getByRole('tab', { name: 'Session' }).click();
  await runConsole(page, "db.session.add(Author(name='Ada')); db.session.commit(); Author.query.get(1); db.session.add(Author(name='Grace'))");
  const state = (text) => page.locator('table.objects .state', { hasText: text }).first();
  await expect(state('pending')).toBeVisible();
  await expect(state('persistent')).toBeVisible();
  const pending = await state('pending').evaluate((element) => getComputedStyle(element).backgroundColor);
  const persistent = await state('persistent').evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(pending).not.toEqual(persistent);
});

test('badges a failed flush as rollback pending until rollback()', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await page.getByRole('tab', { name: 'Session' }).click();
  const badges = page.getByLabel('Session state');
  await runConsole(page, "db.session.add(Author(name='Ada')); db.session.commit()");
  const failed = await runConsole(page, "db.session.add(Author(name='Ada')); db.session.flush()");
  await expect(failed.getByRole('alert')).toContainText('IntegrityError');
  await expect(badges).toContainText('rollback pending');
  await runConsole(page, 'db.session.rollback()');
  await expect(badges).not.toContainText('rollback pending');
});

test('the tabs are reachable with the arrow keys', async ({ page }) => {
  await openApp(page, '/');
  const sql = page.getByRole('tab', { name: 'SQL' });
  await sql.focus();
  await expect(sql).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  const session = page.getByRole('tab', { name: 'Session' });
  await expect(session).toBeFocused();
  await expect(session).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Session' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Diagram' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(sql).toBeFocused();
  await expect(sql).toHaveAttribute('aria-selected', 'true');
});
