import type { ReactNode } from 'react';
import { Stack, Text } from '@mantine/core';

/** One read-only value of an entity's summary: a small caps label above it; long values wrap anywhere. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="div" size="sm" style={{ wordBreak: 'break-all' }}>
        {children}
      </Text>
    </Stack>
  );
}
