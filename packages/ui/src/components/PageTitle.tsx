import { Anchor, Breadcrumbs, Group, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

/** A page's breadcrumb trail, its title, and the page's actions on the right. */
export function PageTitle({ crumbs = [], title, actions }: { crumbs?: { label: string; to: string }[]; title: ReactNode; actions?: ReactNode }) {
  return (
    <Stack gap={4} mb="md">
      {crumbs.length > 0 && (
        <nav aria-label="Breadcrumb">
          <Breadcrumbs separator="›">
            {crumbs.map((c) => (
              <Anchor key={c.to} component={Link} to={c.to} size="sm">
                {c.label}
              </Anchor>
            ))}
          </Breadcrumbs>
        </nav>
      )}
      <Group justify="space-between" align="center" gap="sm">
        <Title order={1} size="h2" style={{ wordBreak: 'break-word' }}>
          {title}
        </Title>
        {actions && <Group gap="xs">{actions}</Group>}
      </Group>
    </Stack>
  );
}
