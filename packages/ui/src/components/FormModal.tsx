import type { ReactNode, SubmitEvent } from 'react';
import { Button, Group, Modal, Stack } from '@mantine/core';
import type { SchemaForm } from '../forms/useSchemaForm';
import { ErrorNotice } from './ErrorNotice';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** The dialog's title, which is also its accessible name. */
  title: string;
  size?: 'md' | 'lg';
  /** The form's state: its failed request shows under the fields, titled `errorTitle`. */
  form: Pick<SchemaForm, 'error' | 'busy'>;
  errorTitle: string;
  /** The submit button's word. */
  submitLabel?: 'Create' | 'Save';
  /** Runs on the submit button and on Enter in a field. */
  onSubmit: () => void;
  children: ReactNode;
}

/**
 * A dialog holding one form: its fields, the API's message when the request
 * fails, then **Cancel** and the submit button. Fields report their own
 * refusals (see useSchemaForm); the browser's own validation is off so the
 * messages are the API's.
 */
export function FormModal({ opened, onClose, title, size, form, errorTitle, submitLabel = 'Create', onSubmit, children }: Props) {
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {children}
          <ErrorNotice error={form.error} title={errorTitle} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.busy}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
