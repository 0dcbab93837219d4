/** Gatehouse's shared schemas: one per entity, used by the API, the DP, the CLI and the UI. */
export * from './primitives';
export * from './entities/runtime-group';
export * from './entities/service';
export * from './entities/route';
export * from './entities/plugin';
export * from './entities/consumer';
export * from './entities/service-hub';
export * from './config';
export * from './canonical-json';
export * from './cluster/messages';
export * from './launch-script/request';
export * from './cluster/nodes';
export * from './cluster/dp-certificates';
export * from './errors';
export * from './analytics/histogram';
export * from './declarative';
