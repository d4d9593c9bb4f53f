// A tiny static file server for the browser tests: serves dist/ at / and at
// SUB_PATH, so the tests check that the same build works under a sub-path
// (as on GitHub Pages). Listens on 127.0.0.1 only, on a free port.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const SUB_PATH = '/some/sub/path/';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

/** Maps a URL path to a file under `root`, or null when it is outside. */
function fileFor(root, urlPath) {
  let relative = decodeURIComponent(urlPath);
  if (relative.startsWith(SUB_PATH)) relative = relative.slice(SUB_PATH.length - 1);
  if (relative.endsWith('/')) relative += 'index.html';
  const file = normalize(join(root, relative));
  return file.startsWith(root + sep) ? file : null;
}

/** Starts serving `root`; resolves to { url, close }. */
export function serve(root) {
  const server = createServer(async (request, response) => {
    try {
      const file = fileFor(root, new URL(request.url, 'http://127.0.0.1').pathname);
      if (file === null) throw new Error('outside the served directory');
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}
