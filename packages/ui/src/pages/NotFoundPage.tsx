import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';

/** Any path the app does not know. */
export function NotFoundPage() {
  return (
    <Stack>
      <Title order={1}>Page not found</Title>
      <Text>
        Nothing lives at this address. Go to the{' '}
        <Anchor component={Link} to="/service-hub">
          Service Hub
        </Anchor>
        .
      </Text>
    </Stack>
  );
}
