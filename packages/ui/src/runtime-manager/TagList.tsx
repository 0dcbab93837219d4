import { Anchor, Badge, Group } from '@mantine/core';
import { Link } from 'react-router-dom';

const KONNECT_SERVICE_TAG = '_KonnectService:';

/**
 * An entity's tags. The `_KonnectService:<name>` tag an implementation puts on
 * its gateway service links back to that Service Hub service.
 */
export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return <>—</>;
  return (
    <Group gap={4}>
      {tags.map((t) =>
        t.startsWith(KONNECT_SERVICE_TAG) ? (
          <Anchor
            key={t}
            component={Link}
            to={`/service-hub/${encodeURIComponent(t.slice(KONNECT_SERVICE_TAG.length))}`}
            aria-label={`Tag ${t}: open the Service Hub service`}
          >
            <Badge variant="outline" color="teal" tt="none" style={{ cursor: 'pointer' }}>
              {t}
            </Badge>
          </Anchor>
        ) : (
          <Badge key={t} variant="outline" color="gray" tt="none">
            {t}
          </Badge>
        ),
      )}
    </Group>
  );
}
