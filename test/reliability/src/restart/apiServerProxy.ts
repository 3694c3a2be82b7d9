/**
 * A TLS-terminating proxy in front of the simulator, so a section sees what the backend really
 * sends (the simulator keeps no request log) and can take the API server away: every request
 * is logged with its query and when it ended, every TCP connection is counted, and `down()`
 * cuts open streams and resets each new connection at once (the client sees a connection error,
 * like a refused port, but the attempt is still counted).
 */
import https from 'node:https';
import net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  watch: boolean;
  /** when the proxy saw the client end the request (response done, aborted or socket gone) */
  closedAt?: number;
}

export interface ApiServerProxy {
  url: string;
  requests: ProxiedRequest[];
  /** TCP connections accepted (including those reset while down) */
  connections(): number;
  /** connections reset because the API server was down */
  refused(): number;
  isDown(): boolean;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startApiServerProxy(target: {
  url: string;
  caPem: string;
  tls: { certPem: string; keyPem: string };
}): Promise<ApiServerProxy> {
  const upstream = new URL(target.url);
  const agent = new https.Agent({ keepAlive: true, ca: target.caPem });
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let refused = 0;
  let isDown = false;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', target.url);
    const watch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    const logged: ProxiedRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      watch,
    };
    requests.push(logged);
    const out = https.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      upstreamRes => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        upstreamRes.on('error', () => res.destroy());
      },
    );
    out.on('error', () => res.destroy());
    // a client that goes away ends its watch upstream too
    res.on('close', () => {
      logged.closedAt = Date.now();
      out.destroy();
    });
    req.pipe(out);
  };

  const tlsServer = https.createServer(
    { cert: target.tls.certPem, key: target.tls.keyPem },
    forward,
  );
  const front = net.createServer(socket => {
    connections++;
    if (isDown) {
      refused++;
      socket.resetAndDestroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    tlsServer.emit('connection', socket);
  });
  await new Promise<void>(resolve =>
    front.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = front.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    refused: () => refused,
    isDown: () => isDown,
    down() {
      isDown = true;
      for (const s of sockets) s.destroy();
    },
    up() {
      isDown = false;
    },
    async close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>(resolve => front.close(() => resolve()));
    },
  };
}
