// A snapshot of `count` plain services (about 250 bytes each) with every other
// entity list of today's registry empty, parsed by the snapshot schema as the
// CP sends them (every default filled, so a reload hashes the same): the big,
// slow-to-write files the kill-during-write fault tests cut in the middle.
const { emptyConfig, gatewayConfig } = require('../../packages/protocol/dist/config.js');

function bigConfig(count, label) {
  const services = Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `svc-${label}-${i}`,
    protocol: 'http',
    host: 'upstream.internal',
    port: 80,
    path: null,
    retries: 5,
    connect_timeout: 60000,
    write_timeout: 60000,
    read_timeout: 60000,
    tags: [],
    enabled: true,
    created_at: 1,
    updated_at: 1,
  }));
  return gatewayConfig.parse({ ...emptyConfig(), services });
}

module.exports = { bigConfig };
