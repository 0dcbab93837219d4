import { randomUUID } from 'node:crypto';
import { emptyConfig, type GatewayConfig, type Route } from '@gatehouse/protocol';
import { joinConfig, splitConfig } from './config-pieces';

function config(routes: number): GatewayConfig {
  const template: Route = { id: '', name: null, protocols: ['http'], methods: [], hosts: [], paths: ['/'], headers: {}, strip_path: true, preserve_host: false, regex_priority: 0, https_redirect_status_code: 426, path_handling: 'v0', request_buffering: true, response_buffering: true, tags: [], service: null, created_at: 1, updated_at: 1 };
  return { ...emptyConfig(), routes: Array.from({ length: routes }, (_, i) => ({ ...template, id: randomUUID(), paths: [`/r${i}`] })) };
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
