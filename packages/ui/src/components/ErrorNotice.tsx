import { Alert, List } from '@mantine/core';
import { ApiError } from '../api/client';

/**
 * Shows a failed request as the API explained it: its message and, for a
 * schema violation, each refused field with the reason.
 */
export function ErrorNotice({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  const fields = error instanceof ApiError ? Object.entries(error.fields) : [];
  return (
    <Alert color="red" title={title} role="alert" variant="light">
      {message}
      {fields.length > 0 && (
        <List size="sm" mt="xs">
          {fields.map(([field, why]) => (
            <List.Item key={field}>
              <code>{field}</code>: {why}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
