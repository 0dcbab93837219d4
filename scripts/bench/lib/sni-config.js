'use strict';
/**
 * The SNI benchmark's gateway config: benchConfig's one route plus a
 * certificate per `{name, cert, key}` and one SNI naming it, in the shape a
 * CP ships (certificates with their keys, SNIs pointing at them). Answers
 * `{config}`, or `{problem}` when this build's protocol schema does not take
 * certificates and SNIs yet.
 */
const { benchConfig, configProblem, uuidFor } = require('./gateway-config');

const T0 = 1_700_000_000;

function sniConfig(upstreamPort, certs) {
  const config = benchConfig({ upstreamPort });
  config.certificates = certs.map((c, i) => ({
    id: uuidFor('certificate', i),
    cert: c.cert,
    key: c.key,
    cert_alt: null,
    key_alt: null,
    tags: [],
    created_at: T0 + i,
    updated_at: T0 + i,
  }));
  config.snis = certs.map((c, i) => ({
    id: uuidFor('sni', i),
    name: c.name,
    certificate: { id: config.certificates[i].id },
    tags: [],
    created_at: T0 + i,
    updated_at: T0 + i,
  }));
  const problem = configProblem(config);
  return problem ? { problem } : { config };
}

module.exports = { sniConfig };
