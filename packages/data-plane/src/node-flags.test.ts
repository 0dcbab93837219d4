import fs from 'node:fs';
import path from 'node:path';
import { DP_NODE_FLAGS, DP_REGEX_FLAGS } from './node-flags';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The places that start a DP by hand-written command line carry DP_NODE_FLAGS, all of them (launch scripts build theirs from it). */
describe('DP node flags', () => {
  it('include the regex fallback (docs/PROXY.md, Regex engine)', () => {
    for (const flag of DP_REGEX_FLAGS) expect(DP_NODE_FLAGS).toContain(flag);
  });

  it('are the ones `npm run dp` passes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { dp: string } };
    expect(pkg.scripts.dp).toContain(`node ${DP_NODE_FLAGS.join(' ')} packages/data-plane/dist/main.js`);
  });

  it('are the ones the Dockerfile passes', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'packages/data-plane/Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`CMD ${JSON.stringify(['node', ...DP_NODE_FLAGS, 'packages/data-plane/dist/main.js']).replace(/","/g, '", "')}`);
  });
});
