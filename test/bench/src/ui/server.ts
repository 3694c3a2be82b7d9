/**
 * A tiny same-origin server for the benchmark page: `/<page>` serves the HTML of a registered
 * page config, `/page.js` the bundle, `/api/*` is proxied to the Pod Watch backend (so the page
 * needs no CORS, like an app served next to its backend).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PageConfig } from './page';

export interface PageServer {
  url: string;
  /** registers a page at `${url}/${name}` */
  page(name: string, config: PageConfig): string;
  close(): Promise<void>;
}

const html = (config: PageConfig) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Pod Watch UI bench</title></head>` +
  `<body><div id="root"></div><script>window.uiBenchConfig=${JSON.stringify(
    config,
  ).replace(
    /</g,
    '\\u003c',
  )}</script><script src="/page.js"></script></body></html>`;

export async function startPageServer(
  js: string,
  backendUrl: string,
): Promise<PageServer> {
  const pages = new Map<string, PageConfig>();
  const backend = new URL(backendUrl);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      const upstream = http.request(
        {
          host: backend.hostname,
          port: backend.port,
          method: req.method,
          path: url,
          headers: req.headers,
        },
        up => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', e => {
        res.writeHead(502).end(String(e));
      });
      req.pipe(upstream);
      return;
    }
    if (url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      return;
    }
    const config = pages.get(url.slice(1).split('?')[0]);
    if (!config) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(html(config));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    page(name, config) {
      pages.set(name, config);
      return `${url}/${name}`;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
