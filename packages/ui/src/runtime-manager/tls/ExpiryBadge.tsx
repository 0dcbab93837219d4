import { Badge, Stack, Text } from '@mantine/core';
import type { ExpiryState } from '@gatehouse/protocol';
import { shortDate } from '../../data/time';

const COLOR: Record<ExpiryState, string> = { valid: 'green', expiring: 'yellow', expired: 'red', unknown: 'gray' };

/** The badge's words: the API's state, with the days left when it is `expiring` (30 days ahead). */
export function expiryLabel(state: ExpiryState, expiresAt: number, now = Date.now()): string {
  if (state === 'expired') return 'Expired';
  if (state === 'valid') return 'Valid';
  // Days started count: 9.9 days left reads "10 days", the last hours "1 day".
  const days = Math.max(1, Math.ceil((expiresAt * 1000 - now) / 86_400_000));
  return days === 1 ? 'Expires in 1 day' : `Expires in ${days} days`;
}

/**
 * A certificate's expiry: its "Not After" date and a badge of the state the
 * API computed — green Valid, yellow "Expires in N days" within 30 days, red
 * Expired (the same colours as the data-plane certificates).
 */
export function ExpiryBadge({ state, expiresAt }: { state: ExpiryState; expiresAt: number }) {
  // A PEM given as a {vault://…} reference is read on the data plane: the CP knows no date (expires_at 0).
  if (state === 'unknown')
    return (
      <Badge color="gray" tt="none">
        Not known (a reference)
      </Badge>
    );
  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {shortDate(expiresAt)}
      </Text>
      <Badge color={COLOR[state]} tt="none" miw="max-content">
        {expiryLabel(state, expiresAt)}
      </Badge>
    </Stack>
  );
}
