/**
 * Synthetic container output: mixed levels, JSON and plain text, multi-line stack
 * traces — what the log collector and exception folding must cope with.
 */
export type LogStyle = 'json' | 'plain' | 'java' | 'python' | 'node' | 'go';

const paths = [
  '/api/orders',
  '/api/cart',
  '/healthz',
  '/api/users/42',
  '/api/payments',
];

function pick<T>(a: T[], n: number): T {
  return a[n % a.length];
}

/** One routine line (request logs, occasional warnings and debug). */
export function routineLine(style: LogStyle, n: number, at: Date): string {
  const iso = at.toISOString();
  let lvl = 'info';
  if (n % 17 === 0) lvl = 'warn';
  else if (n % 5 === 0) lvl = 'debug';
  const path = pick(paths, n);
  const ms = 3 + ((n * 37) % 250);
  switch (style) {
    case 'json':
    case 'node':
      return JSON.stringify({
        level: lvl,
        time: iso,
        msg: lvl === 'warn' ? `slow request ${path}` : `GET ${path} 200`,
        latency_ms: ms,
        request_id: `req-${(n * 7919).toString(16)}`,
      });
    case 'go':
      return `${iso} ${lvl.toUpperCase()} http: GET ${path} status=200 duration=${ms}ms`;
    case 'python':
      return `${iso
        .replace('T', ' ')
        .replace(
          'Z',
          '',
        )} ${lvl.toUpperCase()} [app.views] GET ${path} -> 200 (${ms}ms)`;
    case 'java':
    case 'plain':
    default:
      return `${iso} ${lvl.toUpperCase().padEnd(5)} [http-nio-8080-exec-${
        (n % 8) + 1
      }] c.e.shop.OrderController - handled GET ${path} in ${ms}ms`;
  }
}

export function startupLines(style: LogStyle, app: string, at: Date): string[] {
  const iso = at.toISOString();
  if (style === 'json' || style === 'node') {
    return [
      JSON.stringify({
        level: 'info',
        time: iso,
        msg: `starting ${app}`,
        version: '1.4.2',
      }),
      JSON.stringify({ level: 'info', time: iso, msg: 'listening on :8080' }),
    ];
  }
  return [
    `${iso} INFO  starting ${app} version=1.4.2`,
    `${iso} INFO  listening on :8080`,
  ];
}

/** The output of a crash: an error line and a stack trace in the app's language. */
export function crashLines(style: LogStyle, at: Date): string[] {
  const iso = at.toISOString();
  switch (style) {
    case 'python':
      return [
        `${iso
          .replace('T', ' ')
          .replace('Z', '')} ERROR [app.main] unhandled exception, exiting`,
        'Traceback (most recent call last):',
        '  File "/app/main.py", line 42, in <module>',
        '    run()',
        '  File "/app/main.py", line 37, in run',
        '    conn = connect(os.environ["DATABASE_URL"])',
        '  File "/usr/local/lib/python3.12/os.py", line 714, in __getitem__',
        '    raise KeyError(key) from None',
        "KeyError: 'DATABASE_URL'",
      ];
    case 'go':
      return [
        `${iso} ERROR failed to connect to database: dial tcp 10.96.0.12:5432: connect: connection refused`,
        'panic: runtime error: invalid memory address or nil pointer dereference',
        '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a3b2c]',
        '',
        'goroutine 1 [running]:',
        'main.(*Server).Start(0x0)',
        '\t/src/server.go:88 +0x2c',
        'main.main()',
        '\t/src/main.go:31 +0x1f4',
      ];
    case 'node':
    case 'json':
      return [
        JSON.stringify({
          level: 'error',
          time: iso,
          msg: 'unhandled rejection',
          err: 'ECONNREFUSED 10.96.0.12:5432',
        }),
        'Error: connect ECONNREFUSED 10.96.0.12:5432',
        '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
        '    at Database.connect (/app/src/db.js:22:11)',
        '    at async main (/app/src/index.js:9:3)',
      ];
    case 'java':
    case 'plain':
    default:
      return [
        `${iso} ERROR [main] o.s.boot.SpringApplication - Application run failed`,
        'java.lang.IllegalStateException: Failed to connect to payments-db:5432',
        '\tat com.example.shop.db.Pool.connect(Pool.java:87)',
        '\tat com.example.shop.Application.main(Application.java:21)',
        'Caused by: java.net.ConnectException: Connection refused',
        '\tat java.base/sun.nio.ch.Net.connect0(Native Method)',
        '\t... 2 more',
      ];
  }
}

export function oomLines(at: Date): string[] {
  const iso = at.toISOString();
  return [
    `${iso} WARN  [cache-loader] c.e.shop.Cache - heap usage 91% (930Mi of 1024Mi)`,
    `${iso} WARN  [cache-loader] c.e.shop.Cache - heap usage 98% (1003Mi of 1024Mi)`,
    `${iso} ERROR [cache-loader] c.e.shop.Cache - allocation failed loading catalog snapshot`,
  ];
}
