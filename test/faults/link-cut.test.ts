import { nextEvent, waitFor } from '../e2e/support';
import { Stack } from './stack';
import { TcpRelay } from './tcp-relay';

/**
 * The CP–DP link cut by a relay the test controls, and restored: the DP
 * serves throughout, reconnects by itself, gets the change made while it was
 * cut off, and every request it served reaches the analytics exactly once.
 */
describe('fault: the cluster link is cut and restored', () => {
  let stack: Stack;
  let relay: TcpRelay;

  beforeAll(async () => {
    stack = await Stack.start();
    // Replace the directly connected DP by one that reaches the CP through the relay.
    relay = await TcpRelay.start({ host: '127.0.0.1', port: stack.cp.clusterPort });
    const dpDir = stack.dp.dpDir;
    await stack.dp.stop();
    stack.dp = await Stack.launch(stack.api, { GATEHOUSE_CLUSTER_CONTROL_PLANE: `127.0.0.1:${relay.port}`, GATEHOUSE_CLUSTER_SERVER_NAME: 'localhost' }, dpDir);
    await stack.converged();
  });
  afterAll(async () => {
    await stack?.stop();
    await relay?.close();
  });

  it.each([1, 2, 3])('round %i: serves while cut off, reconnects, converges and counts every request', async (round) => {
    const before = relay.connections;
    const disconnected = nextEvent(stack.dp, 'cluster_disconnected');
    await relay.cut();
    await disconnected;
    expect(await stack.traffic(25)).toBe(25);

    // A change made while the DP cannot hear about it.
    const service = (await stack.api.ok('GET', '/v1/runtime-groups/default/routes/mockbin')).service.id as string;
    await stack.api.ok('POST', '/v1/runtime-groups/default/routes', { name: `cut-${round}`, paths: [`/cut-${round}`], service: { id: service } });
    expect((await stack.proxy(`/cut-${round}`)).status).toBe(404);
    expect(await stack.traffic(25)).toBe(25);

    await relay.restore();
    await waitFor('the DP to reconnect through the relay', () => relay.connections > before, 40_000);
    await waitFor('the change made while cut off to be served', async () => (await stack.proxy(`/cut-${round}`)).status === 200, 20_000);
    await stack.converged();
    await stack.statsComplete();
  });
});
