import { ENTITY_NAMES, emptyConfig, type GatewayConfig } from '@gatehouse/protocol';

/** The collections of a config, the only parts big enough to be split. */
type Collection = Exclude<keyof GatewayConfig, '_format_version' | '_secrets'>;

// Every entity list of the registry.
const COLLECTIONS: readonly Collection[] = ENTITY_NAMES;

/** Entities per piece: ~0.5 KiB each, so a piece parses in a millisecond or two. */
const ENTITIES_PER_PIECE = 1000;

/**
 * A validated config as JSON text in pieces of at most ENTITIES_PER_PIECE
 * entities of one collection. It crosses a thread or process boundary as a
 * few strings (a copy, no object graph to rebuild) and is parsed back one
 * piece per turn of the event loop, so no single turn parses megabytes.
 */
export interface ConfigPieces {
  pieces: { collection: Collection; json: string }[];
  /** The config's `_secrets` (gatehouse-vault values it references), as JSON; absent when it has none. */
  secrets?: string;
}

/** Splits a config into pieces (run where a stall does not matter: a thread, the primary). */
export function splitConfig(config: GatewayConfig): ConfigPieces {
  const pieces: ConfigPieces['pieces'] = [];
  for (const collection of COLLECTIONS) {
    const all: readonly unknown[] = config[collection];
    for (let i = 0; i < all.length; i += ENTITIES_PER_PIECE) pieces.push({ collection, json: JSON.stringify(all.slice(i, i + ENTITIES_PER_PIECE)) });
  }
  return config._secrets === undefined ? { pieces } : { pieces, secrets: JSON.stringify(config._secrets) };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Parses the pieces back into a config, one piece per turn of the event
 * loop. Answers null when `keepGoing` answers false between two pieces (a
 * newer config arrived: this one is not worth finishing).
 */
export async function joinConfig(input: ConfigPieces, keepGoing: () => boolean = () => true): Promise<GatewayConfig | null> {
  const config = emptyConfig();
  for (const { collection, json } of input.pieces) {
    await nextTurn();
    if (!keepGoing()) return null;
    const entities = JSON.parse(json) as unknown[];
    const into = config[collection] as unknown[];
    for (const e of entities) into.push(e);
  }
  if (input.secrets !== undefined) config._secrets = JSON.parse(input.secrets) as Record<string, string>;
  return config;
}
