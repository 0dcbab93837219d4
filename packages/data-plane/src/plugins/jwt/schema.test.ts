import { checkPluginConfig, validatePlugin } from '../schemas';

describe('jwt and hmac-auth schemas', () => {
  it("fill Kong's defaults", () => {
    expect(checkPluginConfig('jwt', {})).toEqual({
      ok: true,
      config: {
        uri_param_names: ['jwt'],
        cookie_names: [],
        header_names: ['authorization'],
        key_claim_name: 'iss',
        secret_is_base64: false,
        claims_to_verify: null,
        anonymous: null,
        run_on_preflight: true,
        maximum_expiration: 0,
        realm: null,
      },
    });
    expect(checkPluginConfig('hmac-auth', {})).toEqual({
      ok: true,
      config: {
        hide_credentials: false,
        clock_skew: 300,
        anonymous: null,
        validate_request_body: false,
        enforce_headers: [],
        algorithms: ['hmac-sha1', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512'],
        realm: null,
      },
    });
  });

  it('name each bad field as config.<field>, in Kong words', () => {
    expect(validatePlugin({ name: 'jwt', config: { claims_to_verify: ['iat'] } })).toEqual({
      ok: false,
      fields: { 'config.claims_to_verify[0]': 'expected one of: exp, nbf' },
    });
    expect(validatePlugin({ name: 'jwt', config: { maximum_expiration: 31536001, claims_to_verify: ['exp'] } })).toEqual({
      ok: false,
      fields: { 'config.maximum_expiration': 'value should be between 0 and 31536000' },
    });
    // Kong's entity check: maximum_expiration needs exp verified.
    expect(validatePlugin({ name: 'jwt', config: { maximum_expiration: 60 } })).toEqual({
      ok: false,
      fields: { 'config.claims_to_verify': 'expected to contain: exp' },
    });
    expect(validatePlugin({ name: 'jwt', config: { maximum_expiration: 60, claims_to_verify: ['exp'] } }).ok).toBe(true);
    expect(validatePlugin({ name: 'hmac-auth', config: { algorithms: ['hmac-md5'] } })).toEqual({
      ok: false,
      fields: { 'config.algorithms[0]': 'expected one of: hmac-sha1, hmac-sha256, hmac-sha384, hmac-sha512' },
    });
    expect(validatePlugin({ name: 'hmac-auth', config: { clock_skew: 0 } })).toEqual({
      ok: false,
      fields: { 'config.clock_skew': 'value must be greater than 0' },
    });
    expect(validatePlugin({ name: 'hmac-auth', config: {}, consumer: { id: 'c' } })).toEqual({
      ok: false,
      fields: { consumer: 'value must be null (the hmac-auth plugin cannot be scoped to a consumer)' },
    });
  });
});
