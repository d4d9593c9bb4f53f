// Trunk post-build hook: the Content-Security-Policy in index.html allows the one inline
// script trunk writes (the module that loads the wasm) by its hash. The script names the
// hashed file names of the build, so its hash is only known after the build: this replaces
// the placeholder 'sha256-TRUNK-INLINE-SCRIPTS' with the hash of every inline script.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PLACEHOLDER = "'sha256-TRUNK-INLINE-SCRIPTS'";
const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
const html = readFileSync(file, 'utf8');
if (!html.includes(PLACEHOLDER)) {
  console.error(`${file}: no ${PLACEHOLDER} in the Content-Security-Policy`);
  process.exit(1);
}
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map(([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
writeFileSync(file, html.replace(PLACEHOLDER, hashes.join(' ')));
