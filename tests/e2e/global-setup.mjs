// Starts the static server over the release build in dist/ for the test run
// and stops it afterwards. Tests find it through E2E_BASE_URL.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));

export default async function globalSetup() {
  if (!existsSync(`${DIST}/index.html`)) {
    throw new Error(`no release build in ${DIST}: run \`make dist\` first (\`make test\` does)`);
  }
  const server = await serve(DIST);
  process.env.E2E_BASE_URL = server.url;
  return server.close;
}
