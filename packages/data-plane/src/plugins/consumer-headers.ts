import type { ConsumerInfo, CredentialInfo, PluginContext } from './context';
import type { Logger } from '../logging';

/**
 * What every authentication plugin does on success or anonymous fallback
 * (Kong's `set_consumer`): marks the request authenticated and tells the
 * upstream who the consumer is. Headers the client sent under these names
 * are replaced or removed, so a client cannot claim an identity.
 */
export function setConsumer(ctx: PluginContext, consumer: ConsumerInfo, credential: CredentialInfo | null): void {
  ctx.authenticate(consumer, credential);
  const h = ctx.upstreamHeaders;
  h['x-consumer-id'] = consumer.id;
  // Deleting only what is there: a `delete` that removes a property can move the object to a slower representation.
  if (consumer.custom_id !== null) h['x-consumer-custom-id'] = consumer.custom_id;
  else if (h['x-consumer-custom-id'] !== undefined) delete h['x-consumer-custom-id'];
  if (consumer.username !== null) h['x-consumer-username'] = consumer.username;
  else if (h['x-consumer-username'] !== undefined) delete h['x-consumer-username'];
  if (credential !== null) {
    h['x-credential-identifier'] = credential.identifier ?? credential.id;
    if (h['x-anonymous-consumer'] !== undefined) delete h['x-anonymous-consumer'];
  } else {
    if (h['x-credential-identifier'] !== undefined) delete h['x-credential-identifier'];
    h['x-anonymous-consumer'] = 'true';
  }
}

/**
 * The anonymous fallback of an auth plugin: authenticates as the configured
 * consumer, or answers 500 when that consumer is not in the config (Kong's
 * behaviour: a misconfiguration, not the client's fault).
 */
export function setAnonymous(ctx: PluginContext, anonymous: ConsumerInfo | undefined, configured: string, plugin: string, log: Logger): void {
  if (anonymous === undefined) {
    log.error(
      { event: 'plugin_anonymous_missing', plugin, anonymous: configured },
      `${plugin}: anonymous consumer "${configured}" is configured but doesn't exist`,
    );
    ctx.error(500);
    return;
  }
  setConsumer(ctx, anonymous, null);
}
