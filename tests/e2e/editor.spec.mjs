// The models editor: highlighting, line numbers, errors at their place, Tab / Shift+Tab /
// Esc-then-Tab, Apply and Ctrl+S with the DDL in the SQL log, and Drop and recreate.
import { test, expect, openApp, applyModels, runConsole, modelsEditor, sqlLog } from './fixtures.mjs';

const PETS = `class Pet(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
`;

test('highlights the models with line numbers; Apply sends the CREATE TABLE to the SQL log', async ({ page }) => {
  await openApp(page, '/');
  await modelsEditor(page).fill(PETS);
  await expect(page.locator('.editor-highlight .tok-keyword').first()).toHaveText('class');
  await expect(page.locator('.editor-highlight .tok-number').first()).toHaveText('40');
  await expect(page.locator('.editor-highlight')).toHaveText(`${PETS}\n`);
  await expect(page.locator('.gutter span')).toHaveText(['1', '2', '3', '4']);
  await page.getByRole('button', { name: 'Apply' }).click();
  const log = await sqlLog(page);
  expect(log.some((statement) => statement.includes('CREATE TABLE pet'))).toBe(true);
});

test('Ctrl+S applies; an error is marked at its line and column', async ({ page }) => {
  await openApp(page, '/');
  const editor = modelsEditor(page);
  await editor.fill('class Pet(db.Model):\n    id = db.Column(db.Integer, primary_key=True\n');
  await editor.press('Control+s');
  const problem = page.locator('.editor-problem');
  await expect(problem).toContainText(/Line 2, column \d+: SyntaxError/);
  await expect(page.locator('.gutter .error-line')).toHaveText('2');
  await expect(page.locator('.error-line-mark')).toBeVisible();

  await editor.fill('class Pet(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    size = undefined_name\n');
  await editor.press('Control+s');
  await expect(problem).toContainText("Line 3: NameError: name 'undefined_name' is not defined");
});

test('Tab indents, Shift+Tab dedents, Enter keeps the indentation, Esc then Tab leaves', async ({ page }) => {
  await openApp(page, '/');
  const editor = modelsEditor(page);
  await editor.click();
  await editor.pressSequentially('class A(db.Model):');
  await editor.press('Enter');
  await editor.pressSequentially('id = 1');
  await expect(editor).toHaveValue('class A(db.Model):\n    id = 1');
  await editor.press('Home');
  await editor.press('Tab');
  await expect(editor).toHaveValue('class A(db.Model):\n        id = 1');
  await editor.press('Shift+Tab');
  await editor.press('Shift+Tab');
  await expect(editor).toHaveValue('class A(db.Model):\nid = 1');
  await expect(editor).toBeFocused();
  await editor.press('Escape');
  await page.keyboard.press('Tab');
  await expect(editor).not.toBeFocused();
  await expect(editor).toHaveValue('class A(db.Model):\nid = 1');
});

test('changed models offer Drop and recreate naming the tables and rows; Cancel keeps the data', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, PETS);
  await runConsole(page, "db.session.add_all([Pet(name='Rex'), Pet(name='Tom')]); db.session.commit()");
  const changed = PETS.replace('nullable=False)', 'nullable=False)\n    age = db.Column(db.Integer)');
  await applyModels(page, changed);
  const dialog = page.getByRole('dialog', { name: 'Drop and recreate tables?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('pet: 2 rows will be lost');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  // The table kept its old shape and rows (the model's new column is not in it).
  const count = "db.session.execute(db.text('SELECT count(*) FROM pet')).scalar()";
  let entry = await runConsole(page, count);
  await expect(entry.locator('.output')).toHaveText('2');

  await page.getByRole('button', { name: 'Apply' }).click();
  await dialog.getByRole('button', { name: 'Drop and recreate pet' }).click();
  await expect(dialog).toBeHidden();
  const log = await sqlLog(page);
  expect(log.some((statement) => statement.includes('DROP TABLE pet'))).toBe(true);
  expect(log.filter((statement) => statement.includes('CREATE TABLE pet')).length).toBe(2);
  entry = await runConsole(page, 'Pet.query.count()');
  await expect(entry.locator('.output')).toHaveText('0');
  entry = await runConsole(page, count);
  await expect(entry.locator('.output')).toHaveText('0');
});

test('screenshots of the editor in light and dark themes', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await openApp(page, '/');
  await applyModels(page, `${PETS}    size = oops\n`);
  await page.screenshot({ path: 'test-results/shell-editor-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/shell-editor-dark.png' });
});
