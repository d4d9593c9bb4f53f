// The `test` every browser test uses: its `page` fails the test on any page
// error, any console error, or any request to a host other than the local
// test server (such requests are also blocked).
import { test as base, expect } from '@playwright/test';

export { expect };

const LOCAL_PROTOCOLS = new Set(['data:', 'blob:']);

function isLocal(url) {
  const parsed = new URL(url);
  return LOCAL_PROTOCOLS.has(parsed.protocol) || parsed.hostname === '127.0.0.1';
}

export const test = base.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    await page.route(
      (url) => !isLocal(url.href),
      (route) => {
        problems.push(`request to a non-local host: ${route.request().url()}`);
        return route.abort();
      },
    );
    await use(page);
    expect(problems).toEqual([]);
  },
});

/** Opens the app at `path` of the test server and waits until the console accepts input. */
export async function openApp(page, path) {
  await page.goto(`${process.env.E2E_BASE_URL}${path}`);
  await page.waitForFunction(() => performance.getEntriesByName('app-ready').length > 0);
}

/** Types Python into the console and runs it (Ctrl+Enter runs any input, blocks included);
 * resolves to the new console entry. */
export async function runConsole(page, source) {
  const entries = page.locator('.console-output .entry');
  const before = await entries.count();
  const input = page.getByRole('textbox', { name: 'Console' });
  await input.fill(source);
  await input.press('Control+Enter');
  await expect(entries).toHaveCount(before + 1);
  return entries.nth(before);
}

/** Replaces the models source and applies it. */
export async function applyModels(page, source) {
  await page.getByRole('textbox', { name: 'Models' }).fill(source);
  await page.getByRole('button', { name: 'Apply' }).click();
}

// ui-panels helpers

/** The console's input. */
export function consoleInput(page) {
  return page.getByRole('textbox', { name: 'Console' });
}

/** The text of every data cell of a rendered table (not the change marker), row by row. */
export async function dataCells(table) {
  return table.locator('tbody tr:not(.spacer):not(.empty)').evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll('td:not(.change-cell)')].map((cell) => cell.textContent)),
  );
}

// ui-shell helpers.

/** The models editor's textarea. */
export function modelsEditor(page) {
  return page.getByRole('textbox', { name: 'Models' });
}

/** The SQL tab's statements, as text. */
export async function sqlLog(page) {
  await page.getByRole('tab', { name: 'SQL' }).click();
  return page.locator('.sql-log .stmt').allTextContents();
}
