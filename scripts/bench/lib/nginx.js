'use strict';
/**
 * nginx as the bar to chase: one worker, `proxy_pass` to the echo upstream
 * with upstream keep-alive, and the forwarding headers a gateway sets (so it
 * does comparable work). Plain HTTP or TLS (`tls: {cert, key}`, TLS 1.3);
 * with `http2`, HTTP/2 by ALPN on TLS, with prior knowledge on plain HTTP. Runs as a child in the
 * foreground from a temporary prefix, touching nothing outside it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { start, tempDir } = require('./processes');
const { requireTool } = require('./tools');
const { untilServing } = require('./serving');
const { getH2 } = require('./h2-get');

/** nginx 1.25.1 made HTTP/2 the `http2 on` directive; older ones (Debian 12's 1.22) take it as a `listen` flag. */
function hasHttp2Directive(nginx) {
  const r = spawnSync(nginx, ['-v'], { encoding: 'utf8' });
  const m = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(`${r.stdout}${r.stderr}`);
  if (!m) return true;
  const [maj, min, patch] = m.slice(1).map(Number);
  return maj > 1 || min > 25 || (min === 25 && patch >= 1);
}

/** The server's listen lines: plain, TLS, and HTTP/2 on either (cleartext: prior knowledge). */
function listenLines(listenPort, tls, http2, directive) {
  const flags = `${tls ? ' ssl' : ''}${http2 && !directive ? ' http2' : ''}`;
  const lines = [`listen 127.0.0.1:${listenPort}${flags};`, ...(http2 && directive ? ['http2 on;'] : [])];
  if (!tls) return lines.join('\n    ');
  return [...lines, `ssl_certificate ${tls.cert};`, `ssl_certificate_key ${tls.key};`, 'ssl_protocols TLSv1.3;'].join('\n    ');
}

function nginxConf(dir, listenPort, upstreamPort, { tls = null, http2 = false, directive = true } = {}) {
  const runAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return `${runAsRoot ? 'user root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_timeout 60s;
  keepalive_requests 1000000; # HTTP/2 streams per connection too (nginx >= 1.19.7)
  upstream echo {
    server 127.0.0.1:${upstreamPort};
    keepalive 512;
    keepalive_requests 1000000;
  }
  server {
    ${listenLines(listenPort, tls, http2, directive)}
    location / {
      proxy_pass http://echo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Forwarded-Port $server_port;
    }
  }
}
`;
}

/**
 * Starts nginx on `listenPort` in front of the upstream; resolves once it
 * answers. Throws ToolMissing (lib/tools.js) when nginx is not installed.
 */
async function startNginx(listenPort, upstreamPort, opts = {}) {
  const nginx = requireTool('nginx');
  const dir = tempDir('gatehouse-bench-nginx-');
  const conf = nginxConf(dir, listenPort, upstreamPort, { ...opts, directive: hasHttp2Directive(nginx) });
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const log = path.join(dir, 'error.log');
  const proc = start('nginx', nginx, ['-p', dir, '-c', 'nginx.conf', '-e', log, '-g', 'daemon off;']);
  const scheme = opts.tls ? 'https' : 'http';
  // Before 1.25.1 a cleartext `listen … http2` speaks HTTP/2 only: ask it in HTTP/2 when HTTP/2 is on.
  return untilServing(proc, `${scheme}://127.0.0.1:${listenPort}/bench`, { logFile: log, get: opts.http2 ? getH2 : undefined });
}

module.exports = { startNginx };
