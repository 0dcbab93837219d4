import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/processes';
import { runCli } from './run-cli';

/** A kong.yml shaped like the ones projects ship: templates carrying a key, a header set by a post-function. */
const GOOD = `_format_version: "3.0"
services:
  - name: auth
    url: http://auth.internal:9999
    routes:
      - name: users
        paths: ["~/users/(?<user>[^/]+)$"]
        strip_path: false
    plugins:
      - name: request-transformer
        config:
          add:
            headers:
              - "apikey:$(headers['x-forwarded-key'] or 'anon')"
              - "x-user:$(uri_captures.user)"
      - name: post-function
        config:
          access:
            - |
              local scheme = kong.request.get_header("x-forwarded-proto") or kong.request.get_scheme()
              kong.service.request.set_header("X-Forwarded-Proto", scheme)
          header_filter:
            - "ngx.header['X-Served-By'] = 'gatehouse'"
`;

describe('gatehouse validate with Lua (pre-function, post-function, templates)', () => {
  const dir = tempDir('gatehouse-cli-lua-');
  const env = { GATEHOUSE_CONFIG_DIR: path.join(dir, 'config') };

  it('accepts a file whose Lua stays in the sandbox surface', async () => {
    const file = path.join(dir, 'good.yml');
    fs.writeFileSync(file, GOOD);
    expect(await runCli(['validate', '-f', file], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('is valid') as unknown });
  });

  it('refuses Lua that leaves the surface or does not compile, naming the field in the file', async () => {
    const file = path.join(dir, 'bad.yml');
    fs.writeFileSync(
      file,
      GOOD.replace('kong.service.request.set_header("X-Forwarded-Proto", scheme)', 'os.execute("curl evil")')
        .replace('$(uri_captures.user)', '$(shared.x = 1)')
        .replace("ngx.header['X-Served-By'] = 'gatehouse'", "ngx.shared.cache:get('k')"),
    );
    const run = await runCli(['validate', '-f', file], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('services[0].plugins[1].config.access[0]: error parsing post-function: uses `os.execute`');
    expect(run.stderr).toContain('services[0].plugins[1].config.header_filter[0]: error parsing post-function: uses `ngx.shared`');
    expect(run.stderr).toContain('services[0].plugins[0].config.add.headers[1]: invalid template $(shared.x = 1): does not compile');
  });
});
