import { z } from 'zod';
import { entityRef, tags, timestamp, uuid } from '../primitives';
import { sniName } from './sni-name';

/** An SNI (Kong's SNI): a server name, exact or with one wildcard label, served with `certificate`. */
export const sniInput = z
  .object({
    name: sniName,
    certificate: entityRef,
    tags,
  })
  .strict();
export type SniInput = z.input<typeof sniInput>;
export type SniFields = z.output<typeof sniInput>;

/** An SNI in a declarative file: its certificate is the entry it is nested in, or named by id. */
export const declarativeSni = sniInput.omit({ certificate: true });

/** An SNI as stored, answered by the API and shipped to data planes. */
export const sni = z.object({
  id: uuid,
  name: z.string(),
  certificate: z.object({ id: uuid }),
  tags: z.array(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Sni = z.infer<typeof sni>;
