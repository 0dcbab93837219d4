const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path key is an id (a UUID) rather than a name. */
export function isUuid(key: string): boolean {
  return UUID.test(key);
}

/**
 * The Prisma `where` for a path key that may be an id or a unique name, as in
 * Kong: a UUID is looked up by id, anything else by the entity's endpoint key
 * (`name`, or `username` for consumers).
 */
export function keyWhere(key: string, endpointKey: string | null): Record<string, string> | null {
  if (isUuid(key)) return { id: key.toLowerCase() };
  return endpointKey ? { [endpointKey]: key } : null;
}
