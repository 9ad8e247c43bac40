/**
 * A tiny static file server for the built site (dist/), used by the benchmark instead of
 * `astro preview`: it starts in milliseconds on a free port, sends the MIME types a browser
 * needs (application/wasm included), and logs every request it answers with the body's raw and
 * gzipped size, so the benchmark sees every fetch (workers' module imports and .wasm included),
 * not only those Playwright attributes to a page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One answered request. */
export interface ServedRequest {
  /** URL path as requested, without the query string. */
  path: string;
  /** The file that answered it, relative to the served root; null for a 404. */
  file: string | null;
  status: number;
  contentType: string;
  /** The Sec-Fetch-Dest header: `document`, `script`, `worker`, `empty` (fetch)… */
  dest: string;
  /** Raw body size. */
  bytes: number;
  /** Body size after gzip (node:zlib, default level 6). */
  gzipBytes: number;
  /** When the request arrived, ms since the server started. */
  atMs: number;
}

/** A running server and its request log. */
export interface StaticServer {
  /** Origin to navigate to, e.g. `http://127.0.0.1:43123`. */
  origin: string;
  /** Every request so far, in arrival order. */
  log: ServedRequest[];
  /** Empties the log (between measurements). */
  clearLog(): void;
  close(): Promise<void>;
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
};

/** Resolves a URL path to a file under root (directory → index.html), or null. */
async function findFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const candidate = resolve(root, `.${normalize(decoded)}`);
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  for (const path of [candidate, join(candidate, 'index.html'), `${candidate}.html`]) {
    try {
      if ((await stat(path)).isFile()) return path;
    } catch {
      // Try the next candidate.
    }
  }
  return null;
}

/** Serves `rootDir` on 127.0.0.1 at a free port. */
export async function startStaticServer(rootDir: string): Promise<StaticServer> {
  const root = resolve(rootDir);
  const log: ServedRequest[] = [];
  const gzipCache = new Map<string, number>();
  const started = performance.now();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const atMs = performance.now() - started;
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const destHeader = request.headers['sec-fetch-dest'];
    const dest = typeof destHeader === 'string' ? destHeader : '';
    const file = await findFile(root, path);
    if (!file) {
      const body = Buffer.from('Not found');
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(body);
      log.push({
        path,
        file: null,
        status: 404,
        contentType: 'text/plain',
        dest,
        bytes: 0,
        gzipBytes: 0,
        atMs,
      });
      return;
    }
    const body = await readFile(file);
    const contentType = MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    let gzipBytes = gzipCache.get(file);
    if (gzipBytes === undefined) {
      gzipBytes = gzipSync(body).length;
      gzipCache.set(file, gzipBytes);
    }
    response.writeHead(200, {
      'Content-Type': contentType,
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    log.push({
      path,
      file: file
        .slice(root.length + 1)
        .split(sep)
        .join('/'),
      status: 200,
      contentType,
      dest,
      bytes: body.length,
      gzipBytes,
      atMs,
    });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    clearLog() {
      log.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
