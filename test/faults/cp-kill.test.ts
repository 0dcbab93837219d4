import { waitFor } from '../e2e/support';
import { Stack } from './stack';

/**
 * kill -9 of the control plane in the middle of pushing a change: the data
 * plane keeps serving throughout, and once the CP is back the DP converges to
 * the last committed config and every request is counted.
 */
describe('fault: the CP is killed in the middle of a push', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each([0, 15, 40])('keeps serving through a kill -9 %i ms after a change, then converges with nothing lost', async (delayMs) => {
    const service = (await stack.api.ok('GET', '/v1/runtime-groups/default/routes/mockbin')).service.id as string;
    const name = `late-${delayMs}`;
    // A burst of changes, so the kill lands while snapshots are being built and sent.
    const writes = Promise.allSettled(
      [0, 1, 2].map((i) => stack.api.post('/v1/runtime-groups/default/routes', { name: `${name}-${i}`, paths: [`/${name}-${i}`], service: { id: service } })),
    );
    await new Promise((r) => setTimeout(r, delayMs));
    await stack.cp.kill();
    const committed = (await writes).filter((w) => w.status === 'fulfilled' && w.value.status === 201).length;

    // With the CP gone the DP serves what it has.
    expect(await stack.traffic(20)).toBe(20);

    await stack.restartCp();
    const hash = await stack.converged(45_000);
    // The last committed state is what the DP serves: every route whose write committed answers.
    const routes = (await stack.api.ok('GET', '/v1/runtime-groups/default/routes?size=1000')).data
      .map((r: { name: string }) => r.name)
      .filter((n: string) => n.startsWith(`${name}-`));
    expect(routes.length).toBeGreaterThanOrEqual(committed);
    for (const route of routes) {
      const res = await waitFor(`${route} to be served`, async () => {
        const r = await stack.proxy(`/${route}`);
        return r.status === 200 ? r : undefined;
      });
      expect(res.status).toBe(200);
    }
    expect((await stack.api.ok('GET', '/v1/runtime-groups/default/expected-config-hash')).expected_hash).toBe(hash);
    await stack.statsComplete();
  });
});
