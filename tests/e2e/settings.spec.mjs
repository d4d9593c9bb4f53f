// Settings: environment variables for os.environ, checked, applied, kept across a reload and
// carried by share links.
import { test, expect, openApp, runConsole } from './fixtures.mjs';

async function openSettings(page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('a variable set in Settings is what os.environ holds, also after a reload', async ({ page }) => {
  await openApp(page, '/');
  let dialog = await openSettings(page);
  await expect(dialog).toContainText('No variables');
  await dialog.getByRole('button', { name: 'Add variable' }).click();
  await dialog.getByRole('textbox', { name: 'Variable 1 name' }).fill('DATABASE_URL');
  await dialog.getByRole('textbox', { name: 'Variable 1 value' }).fill('sqlite:///shop.db');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  let entry = await runConsole(page, "import os; os.environ.get('DATABASE_URL')");
  await expect(entry.locator('.output')).toHaveText("'sqlite:///shop.db'");
  await expect(page.locator('.save-state')).toHaveAttribute('data-state', 'saved');

  await page.reload();
  await page.waitForFunction(() => performance.getEntriesByName('app-ready').length > 0);
  entry = await runConsole(page, "import os; os.environ.get('DATABASE_URL')");
  await expect(entry.locator('.output')).toHaveText("'sqlite:///shop.db'");
  dialog = await openSettings(page);
  await expect(dialog.getByRole('textbox', { name: 'Variable 1 name' })).toHaveValue('DATABASE_URL');
  await expect(dialog.getByRole('textbox', { name: 'Variable 1 value' })).toHaveValue('sqlite:///shop.db');
});

test('names that cannot be variables are refused with what is wrong; removing a row unsets it', async ({ page }) => {
  await openApp(page, '/');
  const dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Add variable' }).click();
  await dialog.getByRole('textbox', { name: 'Variable 1 name' }).fill('MY VAR');
  await dialog.getByRole('button', { name: 'Add variable' }).click();
  await dialog.getByRole('textbox', { name: 'Variable 2 name' }).fill('KEEP');
  await dialog.getByRole('textbox', { name: 'Variable 2 value' }).fill('<b>kept</b>');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('"MY VAR" is not a variable name: use letters A-Z, digits and _, not starting with a digit');
  await expect(dialog).toBeVisible();

  await dialog.getByRole('button', { name: 'Remove variable 1' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Variable 1 name' })).toHaveValue('KEEP');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const entry = await runConsole(page, 'import os; dict(os.environ)');
  await expect(entry.locator('.output')).toHaveText("{'KEEP': '<b>kept</b>'}");
});

test('a share link carries the variables and shows them before anything runs', async ({ page }) => {
  await openApp(page, '/');
  const dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Add variable' }).click();
  await dialog.getByRole('textbox', { name: 'Variable 1 name' }).fill('SECRET_KEY');
  await dialog.getByRole('textbox', { name: 'Variable 1 value' }).fill('dev');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await runConsole(page, "import os; os.getenv('SECRET_KEY')");
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Share link' }).inputValue();

  const other = await page.context().newPage();
  await other.goto(link);
  const question = other.getByRole('dialog', { name: 'Run this shared session?' });
  await expect(question).toContainText('SECRET_KEY=dev');
  await question.getByRole('button', { name: 'Run' }).click();
  await expect(other.locator('.console-output .entry .output').last()).toHaveText("'dev'");
  await other.close();
});
