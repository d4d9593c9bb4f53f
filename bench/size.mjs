// Shipped sizes (dist/: raw and gzip -9) and the largest contributors to the wasm, by
// crate (and by module for the engine), from twiggy on the wasm cargo built (before
// wasm-bindgen and wasm-opt, so that function names are still there).
import { readdir, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** { wasm: {file, raw, gzip}, js: {...} } of the release build in `dist`. */
export async function shippedSizes(dist) {
  const files = await readdir(dist);
  const measure = async (suffix) => {
    const file = files.find((name) => name.endsWith(suffix));
    if (!file) throw new Error(`no *${suffix} in ${dist}: run \`make dist\` first`);
    const bytes = await readFile(join(dist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  return { wasm: await measure('_bg.wasm'), js: await measure('.js') };
}

/** The crate a demangled item name belongs to (`sqla_engine::module` for the engine). */
function owner(name) {
  const path = name.replace(/^(<|&|dyn |impl |mut )+/g, '');
  const segments = path.split('::');
  if (segments.length < 2) return 'data, tables and unnamed code';
  if (segments[0] === 'sqla_engine' && segments.length > 2) return `sqla_engine::${segments[1]}`;
  return segments[0].replace(/<.*$/, '');
}

/** The `count` largest owners of the wasm's bytes, as { name, bytes, percent }. */
export function largestContributors(wasmFile, count) {
  const parsed = JSON.parse(execFileSync('twiggy', ['top', '--format', 'json', wasmFile], { maxBuffer: 1 << 28 }).toString());
  const items = Array.isArray(parsed) ? parsed : parsed.items;
  const totals = new Map();
  let all = 0;
  for (const item of items) {
    const key = owner(item.name);
    totals.set(key, (totals.get(key) ?? 0) + item.shallow_size);
    all += item.shallow_size;
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => ({ name, bytes, percent: (100 * bytes) / all }));
}
