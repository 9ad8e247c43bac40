/**
 * A minimal static file server for tests that must change the built site while it is served
 * (the offline spec publishes a "new version"): serves a folder as a static host would, with
 * `index.html` for directories, `404.html` for the rest, and the MIME types browsers insist on
 * (`application/wasm` for WebAssembly streaming compilation, JavaScript for module scripts).
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** A running server and how to stop it. */
export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

async function fileFor(root: string, pathname: string): Promise<string | null> {
  const safe = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  let path = join(root, safe);
  try {
    if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
    await stat(path);
    return path;
  } catch {
    return null;
  }
}

/** Serves `root` on 127.0.0.1 at a free port. */
export async function serveFolder(root: string): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    void fileFor(root, url.pathname).then(async (path) => {
      const found = path ?? join(root, '404.html');
      response.writeHead(path ? 200 : 404, {
        'content-type': TYPES[extname(found)] ?? 'application/octet-stream',
        // Like a plain static host: the service worker, not the HTTP cache, keeps files offline.
        'cache-control': 'no-cache',
      });
      response.end(await readFile(found));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
