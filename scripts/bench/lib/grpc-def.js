'use strict';
/**
 * The benchmark's gRPC service without a .proto: `bench.Echo/Unary` carries
 * raw bytes both ways (identity serializers), so neither side spends time on
 * protobuf encoding and the figure is the transport's.
 */
const grpc = require('@grpc/grpc-js');

const same = (b) => b;
const ECHO = {
  Unary: {
    path: '/bench.Echo/Unary',
    requestStream: false,
    responseStream: false,
    requestSerialize: same,
    requestDeserialize: same,
    responseSerialize: same,
    responseDeserialize: same,
  },
};
const EchoClient = grpc.makeGenericClientConstructor(ECHO, 'Echo');

/** The route path prefix that matches the service's calls. */
const GRPC_PATH = '/bench.Echo/';

module.exports = { grpc, ECHO, EchoClient, GRPC_PATH };
