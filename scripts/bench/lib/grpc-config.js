'use strict';
/**
 * The gRPC benchmark's gateway config: benchConfig's shape with its service
 * speaking `grpc` (cleartext HTTP/2) to the gRPC echo and its route matching
 * the `bench.Echo` calls by path with protocols `grpc` (Kong's rules: no
 * strip_path). Answers `{config}`, or `{problem}` when the protocol schema of
 * this build does not take gRPC services or routes yet.
 */
const { benchConfig, configProblem } = require('./gateway-config');
const { GRPC_PATH } = require('./grpc-def');

function grpcConfig(upstreamPort) {
  const config = benchConfig({ upstreamPort });
  config.services[0] = { ...config.services[0], protocol: 'grpc' };
  config.routes[0] = { ...config.routes[0], protocols: ['grpc'], paths: [GRPC_PATH], strip_path: false };
  const problem = configProblem(config);
  return problem ? { problem } : { config };
}

module.exports = { grpcConfig };
