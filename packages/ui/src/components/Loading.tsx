import { Center, Loader } from '@mantine/core';

/** The placeholder while a page's first read is on its way. */
export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" aria-busy="true" aria-label={label}>
      <Loader size="sm" />
    </Center>
  );
}
