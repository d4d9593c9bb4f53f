// The bench's browser half: headless Chromium (Debian's, as in the tests) against the
// release build in dist/ served on 127.0.0.1. Work in the page is started by real input
// events (typing into the console and pressing Enter), never inside a DevTools evaluate
// call, and timed by the page itself: the scripts' own time.perf_counter() calls, or
// requestAnimationFrame for frames.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from '../tests/e2e/chromium.mjs';

const READY = () => performance.getEntriesByName('app-ready').length > 0;

/** Navigation to the `app-ready` mark, in ms, for `runs` loads, each with a fresh profile. */
export async function coldStarts(url, runs) {
  const times = [];
  for (let run = 0; run < runs; run += 1) {
    const profile = await mkdtemp(join(tmpdir(), 'sqla-bench-profile-'));
    const context = await chromium.launchPersistentContext(profile, CHROMIUM_LAUNCH_OPTIONS);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(url);
      await page.waitForFunction(READY);
      times.push(await page.evaluate(() => performance.getEntriesByName('app-ready')[0].startTime));
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  }
  return times;
}

/** A fresh browser with one page open on the app, ready for input. */
export async function openApp(url) {
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('crash', () => problems.push('the page crashed'));
  await page.goto(url);
  await page.waitForFunction(READY);
  return { browser, page, problems };
}

function consoleInput(page) {
  return page.getByRole('textbox', { name: /Console|Python to run/ });
}

const entryCount = (page) => page.locator('.console-output .entry').count();

/**
 * Types `source` into the console and runs it with Enter (Ctrl+Enter when Enter only
 * added a line, as a REPL does with a block). Resolves to what the entry printed, its
 * error text, and the wall time from the key press to the entry, in ms.
 */
export async function runInConsole(page, source, timeout = 600_000) {
  const input = consoleInput(page);
  const before = await entryCount(page);
  await input.fill(source);
  const started = Date.now();
  await input.press('End');
  await input.press('Enter');
  // Returns once the page is idle again, i.e. after the run if Enter started one.
  await page.evaluate(() => 0);
  if ((await entryCount(page)) === before) {
    await input.press('Control+Enter');
  }
  await page.waitForFunction((count) => document.querySelectorAll('.console-output .entry').length > count, before, {
    timeout,
    polling: 100,
  });
  const wallMs = Date.now() - started;
  const entry = page.locator('.console-output .entry').nth(before);
  const text = async (selector) => {
    const found = entry.locator(selector);
    return (await found.count()) > 0 ? (await found.first().textContent()) ?? '' : '';
  };
  return { output: await text('.output'), error: await text('[role=alert]'), wallMs };
}

/** The `name 12.3 ms` lines a bench script prints, as { name: ms }. */
export function printedTimes(output) {
  const times = {};
  for (const line of output.split('\n')) {
    const match = /^(\w+) (-?[\d.]+) ms$/.exec(line.trim());
    if (match) times[match[1]] = Number(match[2]);
  }
  return times;
}

/**
 * Runs a timed bench script `runs + 1` times in one page and returns the per-step times of
 * each run after the first (cold) one.
 */
export async function timedScript(page, source, runs) {
  const samples = [];
  for (let run = 0; run <= runs; run += 1) {
    const { output, error } = await runInConsole(page, source);
    if (error) throw new Error(`the script failed in the page:\n${error}`);
    if (run > 0) samples.push(printedTimes(output));
  }
  return samples;
}

/** Starts recording requestAnimationFrame deltas and long tasks in the page. */
async function startFrameRecorder(page) {
  await page.evaluate(() => {
    const recorder = { frames: [], longTasks: [], running: true };
    window.__benchFrames = recorder;
    let last = performance.now();
    const tick = (now) => {
      recorder.frames.push(now - last);
      last = now;
      if (recorder.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    if (PerformanceObserver.supportedEntryTypes.includes('longtask')) {
      recorder.observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) recorder.longTasks.push(entry.duration);
      });
      recorder.observer.observe({ type: 'longtask' });
    }
  });
}

async function stopFrameRecorder(page) {
  return page.evaluate(() => {
    const recorder = window.__benchFrames;
    recorder.running = false;
    recorder.observer?.disconnect();
    return { frames: recorder.frames.slice(1), longTasks: recorder.longTasks };
  });
}

function frameStats({ frames, longTasks }) {
  const sorted = [...frames].sort((a, b) => a - b);
  return {
    frames: frames.length,
    maxFrameMs: sorted.at(-1) ?? 0,
    p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    over100: frames.filter((f) => f > 100).length,
    longTasks: longTasks.length,
    longestTaskMs: longTasks.length ? Math.max(...longTasks) : 0,
  };
}

/**
 * Frame times of the Tables tab: opening it, then scrolling its table with the mouse wheel
 * (the element that scrolls is found from the first table up).
 */
export async function tablesTabFrames(page) {
  await startFrameRecorder(page);
  await page.getByRole('tab', { name: 'Tables' }).click();
  await page.waitForTimeout(1000);
  const opening = frameStats(await stopFrameRecorder(page));

  const table = page.locator('[role=tabpanel] table').first();
  await table.waitFor();
  const rows = await page.locator('[role=tabpanel] tbody tr').count();
  const box = await table.boundingBox();
  await page.mouse.move(box.x + box.width / 2, Math.min(box.y + 100, 700));
  await startFrameRecorder(page);
  for (let step = 0; step < 40; step += 1) {
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(40);
  }
  await page.waitForTimeout(500);
  const scrolling = frameStats(await stopFrameRecorder(page));
  return { renderedRows: rows, opening, scrolling };
}
