import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router-dom';
import { useSession } from '../auth/session';

const SECTIONS = [
  { to: '/service-hub', label: 'Service Hub' },
  { to: '/runtime-manager', label: 'Runtime Manager' },
  { to: '/secrets', label: 'Secrets' },
];

/**
 * The frame of every signed-in page: the header (organization, user, logout)
 * and the main menu, which folds behind a burger on narrow screens.
 */
export function Shell() {
  const { me, logout } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const org = me?.organization.name;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle main menu" />
            <Title order={2} size="h4">
              Gatehouse
            </Title>
            {org && (
              <Text c="dimmed" size="sm" data-testid="organization-name" truncate>
                {org}
              </Text>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {me && (
              <Text size="sm" data-testid="current-user" visibleFrom="xs" truncate>
                {me.full_name ? `${me.full_name} <${me.email}>` : me.email}
              </Text>
            )}
            <Button variant="default" size="xs" onClick={() => void logout()}>
              Log out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main menu">
        {SECTIONS.map((s) => (
          <NavLink key={s.to} component={RouterLink} to={s.to} label={s.label} active={pathname.startsWith(s.to)} onClick={close} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
