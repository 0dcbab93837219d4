import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';

/**
 * docs/PROXY.md (Regex engine): the CP takes the regex syntax Kong takes in
 * route paths (PCRE named groups, inline flags) and refuses, naming the
 * field, what Kong or the DP's engine would not run — the same translator
 * the DP compiles with.
 */
describe('route regex paths: the dialect the CP takes', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  const RG = '/v1/runtime-groups/default';

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api } = cp);
  });
  afterAll(async () => {
    await cp.stop();
  });

  it.each([
    ['PCRE named group', '~/users/(?P<user_id>\\d+)/profile'],
    ['named group, JavaScript and PCRE 7 spelling', '~/users/(?<user_id>\\d+)'],
    ['inline (?i) after the leading slash', '~/(?i)users/\\d+'],
    ['scoped (?i:…)', '~/(?i:api)/v\\d+'],
    ['flags turned off', '~/(?i)a(?-i)b'],
    ['dot-all and extended', '~/(?sx) files / .+  # anything'],
    ['\\A and \\z anchors', '~/exact\\z'],
  ])('201 for: %s', async (_what, path) => {
    const res = await api.post(`${RG}/routes`, { paths: [path] });
    expect(res.status).toBe(201);
    expect(res.body.paths).toEqual([path]);
  });

  it.each([
    ['a syntax error', '~/(unclosed', /invalid regex/],
    ['an inline flag only PCRE has', '~/(?J)x', /inline flag 'J'/],
    ['a Unicode property escape', '~/\\p{L}+', /the escape \\p/],
    ['PCRE quoting', '~/\\Qa.b\\E', /the escape \\Q/],
    ['a backreference', '~/(a)\\1', /backreference/],
  ])('400 naming paths[0] for: %s', async (_what, path, message) => {
    const res = await api.post(`${RG}/routes`, { paths: [path] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('schema_violation');
    expect(res.body.fields['paths[0]']).toMatch(message);
  });
});
