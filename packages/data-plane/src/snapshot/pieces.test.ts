import { randomUUID } from 'node:crypto';
import type { GatewayConfig } from '@gatehouse/protocol';
import { gateway, route } from '../../../../test/support/config-builder';
import { joinConfig, splitConfig } from './pieces';

function config(routes: number): GatewayConfig {
  const template = route({ protocols: ['http'], paths: ['/'], created_at: 1 });
  return gateway({ routes: Array.from({ length: routes }, (_, i) => ({ ...template, id: randomUUID(), paths: [`/r${i}`] })) });
}

describe('config pieces (a config crossing a thread or process a piece at a time)', () => {
  it('splits a big collection into several pieces and joins them back into an equal config', async () => {
    const original = config(2500);
    const split = splitConfig(original);
    expect(split.pieces.filter((p) => p.collection === 'routes').length).toBe(3);
    await expect(joinConfig(split)).resolves.toEqual(original);
  });

  it('asks whether to go on before each piece, and stops (answering null) when told not to', async () => {
    const split = splitConfig(config(3500));
    let asked = 0;
    const joined = await joinConfig(split, () => ++asked < 3);
    expect(joined).toBeNull();
    expect(asked).toBe(3);
  });
});
