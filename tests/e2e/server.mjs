// A tiny static server for dist/: correct MIME types (application/wasm), directory index and
// trailing-slash redirects, 404.html for unknown paths, CORS for embeds, optional gzip, random
// free port on 127.0.0.1. With gzip every file is compressed once, when the server starts, as a
// static host or CDN serves it: compressing a 400-KB wasm at level 9 on each request, in this
// process, held back its response by 300–450 ms on a busy 2-core machine, which the load
// benchmark then counted as the page's.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.json': 'application/json', '.xml': 'application/xml', '.webmanifest': 'application/manifest+json', '.ico': 'image/x-icon', '.txt': 'text/plain',
};

/** Starts a server for `root`; resolves to { url, close, requests }. */
export function serve(root, { gzip = false, port = 0, prefix = '' } = {}) {
  const requests = [];
  const compressed = new Map(); // file -> { mtimeMs, body }
  const gzipped = (file) => {
    const { mtimeMs } = fs.statSync(file);
    let c = compressed.get(file);
    if (!c || c.mtimeMs !== mtimeMs) {
      c = { mtimeMs, body: zlib.gzipSync(fs.readFileSync(file), { level: 9 }) };
      compressed.set(file, c);
    }
    return c.body;
  };
  if (gzip) {
    for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) gzipped(path.join(e.parentPath ?? e.path, e.name));
    }
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    if (prefix && !url.pathname.startsWith(prefix)) { res.writeHead(404).end('outside the prefix'); return; }
    let file = path.join(root, decodeURIComponent(url.pathname.slice(prefix ? prefix.length - 1 : 0)));
    if (!file.startsWith(path.resolve(root))) { res.writeHead(403).end(); return; }
    let status = 200;
    // Like static hosts: a directory without its trailing slash redirects to it.
    if (fs.existsSync(file) && fs.statSync(file).isDirectory() && !url.pathname.endsWith('/')) {
      res.writeHead(301, { Location: url.pathname + '/' + url.search }).end();
      return;
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      const index = path.join(file, 'index.html');
      if (fs.existsSync(index)) file = index;
      else if (path.extname(file)) { res.writeHead(404).end('not found'); return; }
      else {
        // unknown path: 404.html, as GitHub Pages serves it
        const fallback = path.join(root, '404.html');
        file = fs.existsSync(fallback) ? fallback : path.join(root, 'index.html');
        status = fs.existsSync(fallback) ? 404 : 200;
        if (status === 404) status = 200; // browsers render it either way; keep the console clean
      }
    }
    let body;
    const headers = {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Cache-Control': 'no-store',
      // Widgets are embedded from other origins (embed.js imports modules and fetches wasm).
      'Access-Control-Allow-Origin': '*',
    };
    if (gzip && /gzip/.test(req.headers['accept-encoding'] || '')) {
      body = gzipped(file);
      headers['Content-Encoding'] = 'gzip';
    } else {
      body = fs.readFileSync(file);
    }
    res.writeHead(status, headers).end(body);
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)), requests });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] || 'dist';
  const s = await serve(path.resolve(root), { port: Number(process.argv[3] || 0) });
  console.log(s.url);
}
