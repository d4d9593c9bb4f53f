// Keeping work in IndexedDB: committed rows, models and history come back after a reload;
// uncommitted changes do not; a damaged store, work of an older version, a full quota and a
// missing IndexedDB give clear messages and never lose what was committed.
import { readFile } from 'node:fs/promises';
import { test, expect, openApp, applyModels, runConsole, modelsEditor, consoleInput } from './fixtures.mjs';

const NOTES = `from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///notes.db"
db = SQLAlchemy(app)

class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(80))
`;

async function saved(page) {
  await expect(page.locator('.save-state')).toHaveAttribute('data-state', 'saved');
}

/** Writes one record into the app's store, as another version (or damage) would have:
 *  `value` is a string, or an array of bytes. */
async function putRecord(page, key, value) {
  await page.evaluate(([key, value]) => new Promise((resolve, reject) => {
    const open = indexedDB.open('sqla-playground');
    open.onsuccess = () => {
      const transaction = open.result.transaction('kept', 'readwrite');
      transaction.objectStore('kept').put(typeof value === 'string' ? value : new Uint8Array(value), key);
      transaction.oncomplete = () => { open.result.close(); resolve(); };
      transaction.onerror = () => reject(transaction.error);
    };
    open.onerror = () => reject(open.error);
  }), [key, value]);
}

async function reloadApp(page) {
  await page.reload();
  await page.waitForFunction(() => performance.getEntriesByName('app-ready').length > 0);
}

test('a reload keeps committed rows, models and history, and loses uncommitted ones', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, NOTES);
  await runConsole(page, "db.session.add(Note(text='kept')); db.session.commit()");
  await saved(page);
  await runConsole(page, "db.session.add(Note(text='not committed')); db.session.flush()");
  await saved(page);
  await expect(page.locator('.keeping-status')).toContainText('sqlite:///notes.db: committed data is kept');

  await reloadApp(page);
  await expect(modelsEditor(page)).toHaveValue(NOTES);
  const entry = await runConsole(page, '[n.text for n in Note.query.all()]');
  await expect(entry.locator('.output')).toHaveText("['kept']");
});

test('after a reload the console shows the earlier inputs as restored, without outputs, and ↑ recalls them', async ({ page }, testInfo) => {
  await openApp(page, '/');
  await applyModels(page, NOTES);
  await runConsole(page, "note = Note(text='kept'); db.session.add(note); db.session.commit()");
  await runConsole(page, 'Note.query.get(99).text');
  await runConsole(page, 'for n in Note.query:\n    print(n.text)\n');
  await saved(page);

  await page.reload();
  await page.waitForFunction(() => performance.getEntriesByName('app-ready').length > 0);
  const restored = page.getByRole('region', { name: 'Restored from your saved session: 3 inputs' });
  await expect(restored).toContainText('Their output was not kept');
  const entries = restored.locator('.entry');
  await expect(entries.locator('.echo')).toHaveText([
    ">>> note = Note(text='kept'); db.session.add(note); db.session.commit()",
    '>>> Note.query.get(99).text',
    '>>> for n in Note.query:\n...     print(n.text)',
  ]);
  await expect(entries.nth(1)).toContainText('This input raised an exception.');
  await expect(restored.locator('.output, .traceback')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('restored-session.png') });

  // ↑ walks back through the restored inputs, ↓ forward again to the empty draft.
  const input = consoleInput(page);
  await input.focus();
  await input.press('ArrowUp');
  await expect(input).toHaveValue('for n in Note.query:\n    print(n.text)');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('Note.query.get(99).text');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('');
  await input.press('ArrowUp');
  await input.press('Control+Enter');
  // It runs on the restored data, as a new entry of this session below the restored ones.
  const rerun = page.locator('.console-output > .entry').last();
  await expect(rerun.locator('.output')).toHaveText('kept');
  // The variable it set before the reload is gone, as the note says.
  const gone = await runConsole(page, 'note');
  await expect(gone.getByRole('alert')).toContainText("NameError: name 'note' is not defined");

  // Ctrl+L clears the restored inputs with the rest; they stay in the history.
  await input.press('Control+l');
  await expect(restored).toHaveCount(0);
  await expect(page.locator('.console-output .entry')).toHaveCount(0);
  await input.press('ArrowUp');
  await expect(input).toHaveValue('note');
});

test('in-memory data is said not to be kept', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, NOTES.replace('sqlite:///notes.db', 'sqlite://'));
  await expect(page.locator('.keeping-status')).toContainText('sqlite://: in memory, its data is lost on reload');
});

test('a damaged stored snapshot shows the problem, a download of the raw data, and a fresh start', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, NOTES);
  await runConsole(page, "db.session.add(Note(text='x')); db.session.commit()");
  await saved(page);
  await putRecord(page, 'database:sqlite:///notes.db', [1, 2, 3, 4]);
  await page.reload();
  const dialog = page.getByRole('dialog', { name: 'Your saved work cannot be read' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('the data of sqlite:///notes.db:');

  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download the raw data' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('sqla-playground-saved-data.json');

  await dialog.getByRole('button', { name: 'Start fresh' }).click();
  await expect(dialog).toBeHidden();
  await applyModels(page, NOTES);
  await runConsole(page, "db.session.add(Note(text='again')); db.session.commit()");
  await saved(page);
  await reloadApp(page);
  await expect(page.getByRole('dialog', { name: 'Your saved work cannot be read' })).toBeHidden();
  const entry = await runConsole(page, '[n.text for n in Note.query.all()]');
  await expect(entry.locator('.output')).toHaveText("['again']");
});

test('work kept by an older version is named as such, kept until the user starts fresh', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, NOTES);
  await runConsole(page, "db.session.add(Note(text='from before')); db.session.commit()");
  await saved(page);
  await putRecord(page, 'workspace', JSON.stringify({ format: 0, models: NOTES, history: ['Note.query.all()'] }));
  await reloadApp(page);
  const dialog = page.getByRole('dialog', { name: 'Your saved work cannot be read' });
  await expect(dialog).toContainText('saved in format 0 by another version of the playground; this one reads format 1');
  // Nothing is written over the old record while the dialog waits: a second reload shows it again.
  await reloadApp(page);
  await expect(dialog).toBeVisible();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download the raw data' }).click();
  const raw = await (await download).path();
  const records = JSON.parse(await readFile(raw, 'utf8'))['sqla-playground saved data'];
  expect(JSON.parse(records.workspace.text)).toMatchObject({ format: 0, history: ['Note.query.all()'] });
  expect(records['database:sqlite:///notes.db']).toHaveProperty('base64');
});

test('a full storage quota says the work is not saved, keeps the session, and saves once there is room', async ({ page }) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (window.quotaFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await openApp(page, '/');
  await applyModels(page, NOTES);
  await saved(page);
  await page.evaluate(() => { window.quotaFull = true; });
  await runConsole(page, "db.session.add(Note(text='first')); db.session.commit()");
  const banner = page.getByRole('alert').filter({ hasText: 'Your work could not be saved in this browser' });
  await expect(banner).toContainText('quota');
  await expect(banner).toContainText('Use Share or Export to keep it.');
  await expect(page.locator('.save-state')).toHaveAttribute('data-state', 'failed');
  const count = await runConsole(page, 'Note.query.count()');
  await expect(count.locator('.output')).toHaveText('1');

  await page.evaluate(() => { window.quotaFull = false; });
  await runConsole(page, "db.session.add(Note(text='second')); db.session.commit()");
  await saved(page);
  await expect(banner).toBeHidden();
  await reloadApp(page);
  const entry = await runConsole(page, '[n.text for n in Note.query.all()]');
  await expect(entry.locator('.output')).toHaveText("['first', 'second']");
});

test('without IndexedDB the app works and says that nothing is kept', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  await openApp(page, '/');
  await expect(page.getByText(/Your work is not kept in this browser/)).toBeVisible();
  await applyModels(page, NOTES);
  const entry = await runConsole(page, "db.session.add(Note(text='x')); db.session.commit(); Note.query.count()");
  await expect(entry.locator('.error')).toHaveCount(0);
});

test('Reset asks first, then deletes what is kept and starts empty', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, NOTES);
  await runConsole(page, "db.session.add(Note(text='x')); db.session.commit()");
  await saved(page);
  await page.getByRole('button', { name: 'Reset' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start over?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(modelsEditor(page)).toHaveValue(NOTES);
  await page.getByRole('button', { name: 'Reset' }).click();
  await dialog.getByRole('button', { name: 'Delete everything and start over' }).click();
  await expect(modelsEditor(page)).toHaveValue('');
  await reloadApp(page);
  await expect(modelsEditor(page)).toHaveValue('');
  await applyModels(page, NOTES);
  const entry = await runConsole(page, 'Note.query.count()');
  await expect(entry.locator('.output')).toHaveText('0');
});
