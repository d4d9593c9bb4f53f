// The Diagram tab: an SVG ER diagram of the models, tables laid out by foreign-key depth
// without overlapping, foreign keys as solid lines, relationship()s as labelled dashed lines.
import { test, expect, openApp, applyModels } from './fixtures.mjs';

const MODELS = `tags = db.Table('tags',
    db.Column('tag_id', db.Integer, db.ForeignKey('tag.id')),
    db.Column('post_id', db.Integer, db.ForeignKey('post.id')),
)

class Writer(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)
    posts = db.relationship('Post', backref='writer', lazy=True)

class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80))
    writer_id = db.Column(db.Integer, db.ForeignKey('writer.id'), nullable=False)
    tags = db.relationship('Tag', secondary=tags, backref='posts')

class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(20), unique=True)

db.create_all()
`;

test('draws tables, foreign keys and relationships without overlaps', async ({ page }) => {
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await page.getByRole('tab', { name: 'Diagram' }).click();
  const diagram = page.getByRole('img', { name: /^ER diagram of the models/ });
  await expect(diagram).toBeVisible();

  const tables = diagram.locator('g.er-table');
  await expect(tables).toHaveCount(4);
  const box = (name) => diagram.locator(`g.er-table[data-table="${name}"] rect.er-box`);
  const boxes = await diagram.locator('rect.er-box').evaluateAll((rects) => rects.map((rect) => rect.getBBox()).map(({ x, y, width, height }) => ({ x, y, width, height })));
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart, `${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`).toBe(true);
    }
  }
  // Layered by foreign-key depth: writer and tag first, then post, then the association table.
  const x = async (name) => Number(await box(name).getAttribute('x'));
  expect(await x('writer')).toBeLessThan(await x('post'));
  expect(await x('post')).toBeLessThan(await x('tags'));
  expect(await x('tag')).toBeLessThan(await x('tags'));

  const writer = diagram.locator('g.er-table[data-table="writer"]');
  await expect(writer.locator('text.er-name')).toContainText('writer');
  await expect(writer.locator('text.er-name')).toContainText('model Writer');
  await expect(diagram.locator('g.er-table[data-table="tags"] text.er-name')).toContainText('association table');
  const marks = async (table, column) => {
    const texts = diagram.locator(`g.er-table[data-table="${table}"] text`);
    const all = await texts.allTextContents();
    return all[all.indexOf(column) + 2];
  };
  expect(await marks('writer', 'id')).toContain('PK');
  expect(await marks('writer', 'name')).toContain('UQ');
  expect(await marks('post', 'writer_id')).toContain('FK');
  expect(await marks('post', 'title')).toContain('NULL');
  expect(await marks('writer', 'name')).not.toContain('NULL');

  const foreignKeys = diagram.locator('path.er-fk');
  await expect(foreignKeys).toHaveCount(3);
  const titles = await foreignKeys.locator('title').allTextContents();
  for (const [column, target] of [['writer_id', 'writer.id'], ['tag_id', 'tag.id'], ['post_id', 'post.id']]) {
    expect(titles.some((title) => title.includes(column) && title.includes(target)), titles.join('; ')).toBe(true);
  }
  const fkDash = await foreignKeys.first().evaluate((path) => getComputedStyle(path).strokeDasharray);
  expect(fkDash).toBe('none');

  const relationships = diagram.locator('g.er-relationship');
  const labels = (await relationships.locator('text.er-label').allTextContents()).join(' | ');
  expect(labels).toContain('posts');
  expect(labels).toContain('one-to-many');
  expect(labels).toContain('tags');
  expect(labels).toContain('many-to-many');
  const relDash = await relationships.first().locator('path.er-rel').evaluate((path) => getComputedStyle(path).strokeDasharray);
  expect(relDash).not.toBe('none');
  await expect(diagram.locator('desc')).toContainText('Writer.posts is one-to-many to post');
});

test('at 1024 px the diagram fits the panel; at full size it scrolls, by keyboard too', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await openApp(page, '/');
  await applyModels(page, MODELS);
  await page.getByRole('tab', { name: 'Diagram' }).click();
  const panel = page.getByRole('tabpanel');
  const diagram = page.getByRole('img', { name: /^ER diagram of the models/ });
  const scroller = page.getByRole('group', { name: 'Diagram (scrolls when not fitted)' });
  const fit = panel.getByRole('button', { name: 'Fit to width' });
  await expect(fit).toHaveAttribute('aria-pressed', 'true');
  // Fitted: nothing hides sideways, the whole diagram is inside the panel.
  const overflow = (element) => element.evaluate((e) => e.scrollWidth - e.clientWidth);
  expect(await overflow(panel)).toBe(0);
  expect(await overflow(scroller)).toBe(0);
  const panelBox = await panel.boundingBox();
  const fitted = await diagram.boundingBox();
  expect(fitted.x + fitted.width).toBeLessThanOrEqual(panelBox.x + panelBox.width + 0.5);
  await page.screenshot({ path: testInfo.outputPath('diagram-fitted-1024.png') });

  // Full size: wider than the panel, it scrolls in its own box, and the arrow keys scroll it.
  await fit.click();
  await expect(fit).toHaveAttribute('aria-pressed', 'false');
  expect((await diagram.boundingBox()).width).toBeGreaterThan(fitted.width);
  expect(await overflow(panel)).toBe(0);
  expect(await overflow(scroller)).toBeGreaterThan(0);
  await scroller.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => scroller.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('diagram-full-1024.png') });
});
