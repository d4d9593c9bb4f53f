// The Export menu: app.py runs with the real Flask-SQLAlchemy and prints what the console
// printed; the SQL dump, and a table as CSV and JSON.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect, openApp, applyModels, runConsole } from './fixtures.mjs';

const MODELS = `class Plant(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
    height_cm = db.Column(db.Integer)
`;

const LOCAL_VENV = '/work/venv/bin/python';
const CI_VENV = fileURLToPath(new URL('../../test-results/export-venv', import.meta.url));

/** A Python with the real libraries: the project's venv, or in CI one made from PyPI. */
function realPython() {
  if (existsSync(LOCAL_VENV)) return { python: LOCAL_VENV };
  if (!process.env.CI) return { skip: `no ${LOCAL_VENV} (CI makes its own venv from PyPI)` };
  const python = `${CI_VENV}/bin/python`;
  try {
    if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', CI_VENV]);
    execFileSync(python, ['-m', 'pip', 'install', '-q', 'Flask==3.1.*', 'Flask-SQLAlchemy==3.1.1', 'SQLAlchemy==2.0.*'], { stdio: 'pipe', timeout: 240_000 });
    return { python };
  } catch (error) {
    return { skip: `could not install the real libraries from PyPI: ${error.message.split('\n')[0]}` };
  }
}

async function exportFile(page, item) {
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('list', { name: 'Export' }).getByRole('button', { name: item }).click();
  const file = await download;
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8'), path: await file.path() };
}

async function session(page) {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await runConsole(page, "db.session.add_all([Plant(name='fern', height_cm=40), Plant(name='moss')]); db.session.commit()");
  await runConsole(page, 'Plant.query.filter(Plant.height_cm > 10).all()');
  await runConsole(page, "print([p.name for p in Plant.query.order_by(Plant.name)])");
}

test('app.py runs with the real Flask-SQLAlchemy and prints what the console printed', async ({ page }) => {
  await session(page);
  const { name, text, path } = await exportFile(page, 'app.py (Flask-SQLAlchemy script)');
  expect(name).toBe('app.py');
  expect(text).toContain('class Plant(db.Model):');
  const real = realPython();
  test.skip(Boolean(real.skip), real.skip);
  const printed = execFileSync(real.python, [path], { cwd: fileURLToPath(new URL('../../test-results', import.meta.url)), encoding: 'utf8' });
  expect(printed).toBe("[<Plant 1>]\n['fern', 'moss']\n");
});

test('a SQL dump and a table as CSV and JSON', async ({ page }) => {
  await session(page);
  const dump = await exportFile(page, 'SQL dump');
  expect(dump.name).toBe('dump.sql');
  expect(dump.text).toContain('CREATE TABLE plant');
  expect(dump.text).toMatch(/INSERT INTO plant .*'fern'/);

  const csv = await exportFile(page, 'plant as CSV');
  expect(csv.name).toBe('plant.csv');
  expect(csv.text.split(/\r?\n/).slice(0, 3)).toEqual(['id,name,height_cm', '1,fern,40', '2,moss,']);

  const json = await exportFile(page, 'plant as JSON');
  expect(json.name).toBe('plant.json');
  expect(JSON.parse(json.text)).toEqual([
    { id: 1, name: 'fern', height_cm: 40 },
    { id: 2, name: 'moss', height_cm: null },
  ]);
});
