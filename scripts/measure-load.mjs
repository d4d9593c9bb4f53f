// Measures how long the release build in dist/ takes from navigation to a
// console that accepts input (the `app-ready` performance mark), in headless
// Chromium on localhost. A measurement, not a test: it prints numbers.
//
//   node scripts/measure-load.mjs [runs]      (after `make dist`)
import { chromium } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_LAUNCH_OPTIONS } from '../tests/e2e/chromium.mjs';
import { serve } from '../tests/e2e/static-server.mjs';

const runs = Number(process.argv[2] ?? 10);
const server = await serve(fileURLToPath(new URL('../dist', import.meta.url)));
const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
try {
  // One browser context: after the first (cold) load, the HTTP cache and
  // compiled-code cache are warm, as for a returning visitor.
  const context = await browser.newContext();
  const times = [];
  for (let run = 0; run <= runs; run += 1) {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => performance.getEntriesByName('app-ready').length > 0);
    times.push(await page.evaluate(() => performance.getEntriesByName('app-ready')[0].startTime));
    await page.close();
  }
  const [cold, ...warm] = times;
  warm.sort((a, b) => a - b);
  const ms = (value) => `${value.toFixed(0)} ms`;
  console.log(`navigation to app-ready, first load: ${ms(cold)}`);
  console.log(
    `navigation to app-ready over ${warm.length} more loads: median ${ms(warm[Math.floor(warm.length / 2)])}, ` +
      `min ${ms(warm[0])}, max ${ms(warm.at(-1))}`,
  );
} finally {
  await browser.close();
  await server.close();
}
