// The whole screen's quality: accessible names, keyboard use and the help dialog, light
// and dark themes, resizable panels, a usable layout from 1024 px, the CSP.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect, openApp, applyModels, runConsole, modelsEditor } from './fixtures.mjs';

test('controls have their accessible names', async ({ page }) => {
  await openApp(page, '/');
  await expect(page.getByRole('textbox', { name: 'Models', exact: true })).toBeVisible();
  for (const name of ['SQL', 'Session', 'Tables', 'Diagram']) {
    await expect(page.getByRole('tab', { name, exact: true })).toBeVisible();
  }
  for (const name of ['Apply', 'Share', 'Export', 'Reset', 'Help']) {
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('combobox', { name: 'Examples' })).toBeVisible();
  await expect(page.getByRole('separator', { name: 'Resize the panels' })).toBeVisible();
});

test('keyboard only: focus moves through the toolbar with a visible ring; "?" opens the help', async ({ page }) => {
  await openApp(page, '/');
  await page.getByRole('combobox', { name: 'Examples' }).focus();
  const order = [];
  for (let i = 0; i < 6; i += 1) {
    order.push(await page.evaluate(() => document.activeElement.getAttribute('aria-label') ?? document.activeElement.textContent));
    await page.keyboard.press('Tab');
  }
  expect(order).toEqual(['Examples', 'Share', 'Export', 'Settings', 'Reset', 'Help']);
  const outline = await page.getByRole('button', { name: 'Apply' }).evaluate((button) => {
    button.focus();
    return getComputedStyle(button).outlineStyle;
  });
  // Focus by script is not :focus-visible everywhere; Tab is.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)).toBe('solid');
  expect(['solid', 'none']).toContain(outline);

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Help' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Ctrl+S');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // Typed into a text field, "?" is a character.
  await modelsEditor(page).click();
  await page.keyboard.press('?');
  await expect(help).toBeHidden();
  await expect(modelsEditor(page)).toHaveValue('?');
  await page.getByRole('button', { name: 'Help' }).click();
  await expect(help).toBeVisible();
});

test('light and dark themes follow the system setting', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page, '/');
  const colours = () => page.locator('.panel').first().evaluate((panel) => [getComputedStyle(panel).backgroundColor, getComputedStyle(panel).color]);
  expect(await colours()).toEqual(['rgb(255, 255, 255)', 'rgb(29, 35, 48)']);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await colours()).toEqual(['rgb(29, 33, 41)', 'rgb(228, 231, 238)']);
});

test('the panels resize by dragging and with the arrow keys', async ({ page }) => {
  await openApp(page, '/');
  const splitter = page.getByRole('separator', { name: 'Resize the panels' });
  const leftWidth = () => page.locator('.left-column').evaluate((column) => column.getBoundingClientRect().width);
  const before = await leftWidth();
  await splitter.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(splitter).toHaveAttribute('aria-valuenow', '60');
  expect(await leftWidth()).toBeGreaterThan(before + 50);
  await page.keyboard.press('Home');
  await expect(splitter).toHaveAttribute('aria-valuenow', '25');

  const box = await splitter.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(640, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const now = Number(await splitter.getAttribute('aria-valuenow'));
  expect(now).toBeGreaterThan(40);
  expect(now).toBeLessThan(60);
});

for (const width of [1024, 1440]) {
  test(`the layout is usable at ${width} px, in both themes`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await openApp(page, '/');
    await applyModels(page, 'class Bird(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(30))\n');
    await runConsole(page, "db.session.add(Bird(name='wren')); db.session.commit()");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    for (const name of ['Apply', 'Share', 'Export', 'Reset', 'Help']) {
      await expect(page.getByRole('button', { name, exact: true })).toBeInViewport();
    }
    await page.screenshot({ path: `test-results/shell-${width}-light.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `test-results/shell-${width}-dark.png` });
  });
}

test('the built page has a Content-Security-Policy that allows only its own scripts', async ({ page }) => {
  const html = readFileSync(fileURLToPath(new URL('../../dist/index.html', import.meta.url)), 'utf8');
  const policy = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
  expect(policy).toContain("default-src 'self'");
  expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(policy).not.toContain('unsafe-inline\' ;');
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  // The app loads and runs under it (a violation is a console error, which fails the test).
  await openApp(page, '/');
  const entry = await runConsole(page, '6 * 7');
  await expect(entry.locator('.output')).toHaveText('42');
});
