// The examples menu: every scenario loads its models (applied, tables created) and a
// console script that runs line by line with "Run next line", without errors except where
// the example is about one.
import { test, expect, openApp, applyModels, modelsEditor, sqlLog } from './fixtures.mjs';

const TITLES = [
  'Models and columns', 'Relationships', 'Session, commit and rollback', 'Create, read, update, delete',
  'Filtering and sorting', 'Counting and aggregation', 'Joins', 'Lazy vs eager loading, N+1', 'Transactions',
  'Handling IntegrityError', 'A custom query class', 'Mixins', 'Raw SQL and injection',
];
/** The examples that show an error on purpose. */
const ABOUT_ERRORS = new Set(['Handling IntegrityError']);

async function loadExample(page, title) {
  await page.getByRole('combobox', { name: 'Examples' }).selectOption({ label: title });
  await expect(page.getByRole('heading', { name: `Example: ${title}` })).toBeVisible();
}

test('the menu offers one example per tutorial topic', async ({ page }) => {
  await openApp(page, '/');
  const options = await page.getByRole('combobox', { name: 'Examples' }).locator('option').allTextContents();
  expect(options.slice(1)).toEqual(TITLES);
});

test('an example loads its models and runs its console lines one by one', async ({ page }) => {
  await openApp(page, '/');
  await loadExample(page, 'Create, read, update, delete');
  await expect(modelsEditor(page)).toHaveValue(/class Task\(db\.Model\)/);
  expect((await sqlLog(page)).some((statement) => statement.includes('CREATE TABLE task'))).toBe(true);

  const panel = page.getByRole('region', { name: /^Example:/ });
  const next = panel.getByRole('button', { name: 'Run next line' });
  const current = panel.locator('.step.next .step-code');
  await expect(current).toHaveText(/^db\.session\.add_all/);
  await next.click();
  await next.click();
  await expect(current).toHaveText('Task.query.all()');
  await next.click();
  await expect(panel.locator('.step').nth(2).locator('.output')).toHaveText(
    "[<Task 1 'Water the ferns' done=False>, <Task 2 'Repot the cactus' done=False>, <Task 3 'Buy compost' done=False>]",
  );
  await expect(panel).toContainText('3 of 12 lines run');
});

test('loading an example over work asks first in the app\'s own dialog, usable by keyboard', async ({ page }) => {
  const browserDialogs = [];
  page.on('dialog', async (dialog) => {
    browserDialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await openApp(page, '/');
  const mine = 'class Mine(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n';
  await applyModels(page, mine);
  const menu = page.getByRole('combobox', { name: 'Examples' });
  const dialog = page.getByRole('dialog', { name: 'Load this example?' });

  // Esc keeps the work, and focus goes back to the menu.
  await menu.focus();
  await menu.selectOption({ label: 'Joins' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Loading “Joins” replaces your models and your console session.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(menu).toBeFocused();
  await expect(modelsEditor(page)).toHaveValue(mine);

  // Cancel, reached with Tab, keeps it too.
  await menu.selectOption({ label: 'Joins' });
  await expect(dialog.getByRole('button', { name: 'Load the example' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(modelsEditor(page)).toHaveValue(mine);

  // Enter on the focused "Load the example" loads it.
  await menu.selectOption({ label: 'Joins' });
  await expect(dialog.getByRole('button', { name: 'Load the example' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Example: Joins' })).toBeVisible();
  await expect(modelsEditor(page)).not.toHaveValue(mine);
  expect(browserDialogs).toEqual([]);
});

for (const title of TITLES) {
  test(`example “${title}” runs to the end`, async ({ page }) => {
    await openApp(page, '/');
    await loadExample(page, title);
    await expect(page.locator('.editor-problem')).toHaveCount(0);
    const panel = page.getByRole('region', { name: /^Example:/ });
    const next = panel.getByRole('button', { name: 'Run next line' });
    while (await next.isEnabled()) await next.click();
    const errors = await panel.locator('.step .error').count();
    if (ABOUT_ERRORS.has(title)) expect(errors).toBeGreaterThan(0);
    else expect(errors).toBe(0);
  });
}
