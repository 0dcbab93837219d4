import {
  analyticsReport,
  consumer,
  dataPlaneNode,
  dpCertificate,
  issuedDpCertificate,
  listPage,
  plugin,
  renewedDpCertificate,
  route,
  runtimeGroup,
  service,
} from '@gatehouse/protocol';
import type { z } from 'zod';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { expectShape } from './expect-shape';

/** A 2xx answer whose body parses with `schema`. */
function expectAnswer(schema: z.ZodType, answer: { status: number; body: unknown }): void {
  expect(answer.status).toBeLessThan(300);
  expectShape(schema, answer.body);
}

/**
 * The web UI reads every answer with its protocol schema and refuses one of
 * another shape; these are the Runtime Manager's reads (the Service Hub's and
 * the session's are checked in service-hub.test.ts and auth.test.ts), each
 * with at least one row so the row schema is exercised.
 */
describe('Runtime Manager answers, read with the schemas the UI uses', () => {
  const RG = '/v1/runtime-groups/default';
  let cp: LoggedInControlPlane;
  let api: Client;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    api = cp.api;
    expect((await api.post(`${RG}/services`, { name: 'orders', url: 'http://orders.internal/v1', tags: ['team-a'] })).status).toBe(201);
    expect((await api.post(`${RG}/services/orders/routes`, { name: 'orders', methods: ['GET'], paths: ['/orders'] })).status).toBe(201);
    expect((await api.post(`${RG}/consumers`, { username: 'alice' })).status).toBe(201);
    expect((await api.post(`${RG}/plugins`, { name: 'key-auth', service: { name: 'orders' } })).status).toBe(201);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('answers runtime groups and their gateway entities in their schemas', async () => {
    expectAnswer(listPage(runtimeGroup), await api.get('/v1/runtime-groups?size=1000'));
    expectAnswer(runtimeGroup, await api.get(RG));
    expectAnswer(listPage(service), await api.get(`${RG}/services?size=1000`));
    expectAnswer(service, await api.get(`${RG}/services/orders`));
    expectAnswer(listPage(route), await api.get(`${RG}/routes?size=1000`));
    expectAnswer(listPage(plugin), await api.get(`${RG}/plugins?size=1000`));
    expectAnswer(listPage(consumer), await api.get(`${RG}/consumers?size=1000`));
    expectAnswer(listPage(dataPlaneNode), await api.get(`${RG}/nodes`));
    expectAnswer(analyticsReport, await api.get(`${RG}/analytics?granularity=minute`));
  });

  it('answers issued, renewed and listed certificates in their schemas', async () => {
    const issued = await api.post(`${RG}/dp-certificates`, {});
    expectAnswer(issuedDpCertificate, issued);
    expectAnswer(renewedDpCertificate, await api.post(`${RG}/dp-certificates/${issued.body.id}/renew`, {}));
    expectAnswer(listPage(dpCertificate), await api.get(`${RG}/dp-certificates`));
  });
});
