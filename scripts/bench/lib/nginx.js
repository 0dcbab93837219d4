'use strict';
/**
 * nginx as the bar to chase: one worker, `proxy_pass` to the echo upstream
 * with upstream keep-alive, and the forwarding headers a gateway sets (so it
 * does comparable work). Runs as a child in the foreground from a temporary
 * prefix, touching nothing outside it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { start, tempDir } = require('./processes');
const { get } = require('./load');

const NGINX = '/usr/sbin/nginx';

function nginxConf(dir, listenPort, upstreamPort) {
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
  keepalive_requests 1000000;
  upstream echo {
    server 127.0.0.1:${upstreamPort};
    keepalive 512;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${listenPort};
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

/** Starts nginx on `listenPort` in front of the upstream; resolves once it answers. */
async function startNginx(listenPort, upstreamPort) {
  if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} is not installed (apt-get install -y nginx)`);
  const dir = tempDir('gatehouse-bench-nginx-');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(dir, listenPort, upstreamPort));
  const proc = start('nginx', NGINX, ['-p', dir, '-c', 'nginx.conf', '-e', path.join(dir, 'error.log'), '-g', 'daemon off;']);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await get(`http://127.0.0.1:${listenPort}/bench`);
      if (res.status === 200) return proc;
    } catch {
      // not up yet
    }
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      const log = fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
      throw new Error(`nginx did not start:\n${proc.lines.join('\n')}\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

module.exports = { startNginx };
