// Share links: the models and console inputs in the URL fragment; opening one shows what
// it will run and runs nothing before Run; a damaged link says so and the app still opens.
import { test, expect, openApp, applyModels, runConsole, sqlLog } from './fixtures.mjs';

const MODELS = `class City(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))
`;

async function shareLink(page) {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await runConsole(page, "db.session.add(City(name='Lyon')); db.session.commit()");
  await runConsole(page, '[c.name for c in City.query]');
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this session' });
  const link = await dialog.getByRole('textbox', { name: 'Share link' }).inputValue();
  await expect(dialog.locator('.share-length')).toHaveText(`${link.length} characters`);
  return link;
}

test('a shared link shows what it will run and runs only on Run', async ({ page, browser }) => {
  const link = await shareLink(page);
  expect(link).toMatch(/#share=[A-Za-z0-9_-]+$/);

  const other = await browser.newPage();
  await other.goto(link);
  const dialog = other.getByRole('dialog', { name: 'Run this shared session?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('class City(db.Model):');
  await expect(dialog).toContainText("db.session.add(City(name='Lyon')); db.session.commit()");
  // Nothing ran: no SQL, no tables, no console entries.
  expect(await other.evaluate(() => document.querySelectorAll('.sql-log li').length)).toBe(0);
  await expect(other.locator('.keeping-status')).toContainText('no database yet');
  await expect(other.locator('.console-output .entry')).toHaveCount(0);

  await dialog.getByRole('button', { name: 'Run' }).click();
  await expect(dialog).toBeHidden();
  // The console shows each shared input with what it really printed when it ran here.
  const entries = other.locator('.console-output .entry');
  await expect(entries.locator('.echo')).toHaveText([
    ">>> db.session.add(City(name='Lyon')); db.session.commit()",
    '>>> [c.name for c in City.query]',
  ]);
  await expect(entries.nth(1).locator('.output')).toHaveText("['Lyon']");
  const input = other.getByRole('textbox', { name: 'Console' });
  await input.focus();
  await input.press('ArrowUp');
  await expect(input).toHaveValue('[c.name for c in City.query]');
  expect((await sqlLog(other)).some((statement) => statement.includes('INSERT INTO city'))).toBe(true);
  await other.getByRole('tab', { name: 'Tables' }).click();
  await expect(other.locator('.table-snapshot')).toContainText('Lyon');
  await other.close();
});

test('a truncated or malformed link gives a clear message and the app opens', async ({ page }) => {
  const link = await shareLink(page);
  // Only the fragment changes: reload so the page opens with it.
  await page.goto(link.slice(0, link.length - 25));
  await page.reload();
  await expect(page.getByRole('alert').filter({ hasText: 'This share link cannot be opened' })).toContainText('incomplete or damaged');
  await page.waitForFunction(() => performance.getEntriesByName('app-ready').length > 0);
  const entry = await runConsole(page, '1 + 1');
  await expect(entry.locator('.output')).toHaveText('2');

  await page.goto(`${process.env.E2E_BASE_URL}/#share=not*base64!`);
  await page.reload();
  await expect(page.getByRole('alert').filter({ hasText: 'This share link cannot be opened' })).toBeVisible();
});
