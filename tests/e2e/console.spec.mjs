import { fileURLToPath } from 'node:url';
import { test, expect, openApp, runSql } from './fixtures.mjs';
import { SUB_PATH } from './static-server.mjs';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));

/** The text of every cell of a rendered result table, row by row. */
async function cells(table) {
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
  );
}

for (const path of ['/', SUB_PATH]) {
  test(`runs SQL and shows the rows, served at ${path}`, async ({ page }) => {
    await openApp(page, path);
    await expect(page.getByRole('status')).toHaveCount(0);
    await expect(page.getByLabel('SQL to run')).toBeFocused();

    const entry = await runSql(
      page,
      "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT); " +
        "INSERT INTO author VALUES (1, 'Ada'), (2, NULL); " +
        'SELECT id, name FROM author ORDER BY id DESC',
    );
    await expect(entry.locator('.message')).toHaveText(['created', '2 rows inserted']);
    const result = entry.locator('table');
    await expect(result.locator('th')).toHaveText(['id', 'name']);
    expect(await cells(result)).toEqual([
      ['2', 'NULL'],
      ['1', 'Ada'],
    ]);
    await expect(entry.locator('.row-count')).toHaveText('2 rows');

    await expect(page.locator('.sql-log li')).toHaveText([
      'CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT)',
      "INSERT INTO author VALUES (1, 'Ada'), (2, NULL)",
      'SELECT id, name FROM author ORDER BY id DESC',
    ]);
    await page.getByRole('tab', { name: 'Tables' }).click();
    const snapshot = page.locator('.table-snapshot');
    await expect(snapshot.locator('h3')).toHaveText('author');
    expect(await cells(snapshot.locator('table'))).toEqual([
      ['1', 'Ada'],
      ['2', 'NULL'],
    ]);
  });
}

test('shows errors and keeps working after them', async ({ page }) => {
  await openApp(page, '/');

  const syntax = await runSql(page, 'SELEC 1');
  await expect(syntax.getByRole('alert')).toContainText('syntax error');
  await expect(syntax.getByRole('alert')).toContainText('SELEC');

  const missing = await runSql(page, 'CREATE TABLE t (a INT); SELECT * FROM nowhere');
  await expect(missing.locator('.message')).toHaveText(['created']);
  await expect(missing.getByRole('alert')).toContainText('statement 2:');
  await expect(missing.getByRole('alert')).toContainText('nowhere');

  const after = await runSql(page, 'INSERT INTO t VALUES (7); SELECT a FROM t');
  expect(await cells(after.locator('table'))).toEqual([['7']]);
  await expect(after.getByRole('alert')).toHaveCount(0);

  // The syntax error sent nothing; the failed SELECT was sent and is marked.
  await expect(page.locator('.sql-log li')).toHaveText([
    'CREATE TABLE t (a INT)',
    'SELECT * FROM nowhere failed',
    'INSERT INTO t VALUES (7)',
    'SELECT a FROM t',
  ]);
  await expect(page.locator('.sql-log li.failed')).toHaveText(['SELECT * FROM nowhere failed']);
});

test("reaches the browser's clock and random numbers", async ({ page }) => {
  await openApp(page, '/');
  const entry = await runSql(
    page,
    'SELECT NOW() IS NOT NULL AS has_clock, GENERATE_UUID() <> GENERATE_UUID() AS random',
  );
  expect(await cells(entry.locator('table'))).toEqual([['TRUE', 'TRUE']]);
});

test('shows user text as text, never as markup', async ({ page }) => {
  await openApp(page, '/');
  const markup = '<img src=x onerror=alert(1)><b>bold</b>';
  const entry = await runSql(page, `SELECT '${markup}' AS "<i>label</i>"`);
  await expect(entry.locator('th')).toHaveText('<i>label</i>');
  await expect(entry.locator('td')).toHaveText(markup);
  await expect(entry.locator('.echo')).toContainText(markup);
  await expect(page.locator('.console-output img, .console-output b, .console-output i')).toHaveCount(0);
});

test('writes the README screenshot', async ({ page }) => {
  await openApp(page, '/');
  await runSql(
    page,
    'CREATE TABLE "user" (id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, email TEXT)',
  );
  await runSql(
    page,
    "INSERT INTO \"user\" VALUES (1, 'ada', 'ada@example.org'), (2, 'grace', NULL)",
  );
  await runSql(page, "INSERT INTO \"user\" VALUES (3, 'ada', 'other@example.org')");
  await runSql(page, 'SELECT id, username, email FROM "user" ORDER BY username');
  await page.screenshot({ path: SCREENSHOT });
});
