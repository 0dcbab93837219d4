/**
 * Kong's registered-claim checks (jwt_parser's `verify_registered_claims` and
 * `check_maximum_expiration`), at `now` in whole seconds: the errors by claim
 * name, in the order the claims are listed, or null when all pass.
 */
export function claimErrors(
  claims: Record<string, unknown>,
  toVerify: readonly string[] | null,
  maximumExpiration: number,
  now: number,
): Record<string, string> | null {
  let errors: Record<string, string> | null = null;
  for (const name of toVerify ?? []) {
    const value = claims[name];
    let error: string | null = null;
    if (typeof value !== 'number') error = 'must be a number';
    else if (name === 'exp' && value <= now) error = 'token expired';
    else if (name === 'nbf' && value > now) error = 'token not valid yet';
    if (error !== null) (errors ??= {})[name] = error;
  }
  if (errors !== null) return errors;
  if (maximumExpiration > 0) {
    const exp = claims.exp;
    if (typeof exp !== 'number' || exp - now > maximumExpiration) return { exp: 'exceeds maximum allowed expiration' };
  }
  return null;
}
