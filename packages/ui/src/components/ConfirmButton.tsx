import { useState } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { ErrorNotice } from './ErrorNotice';

/**
 * A destructive action behind a confirmation dialog. The dialog stays open
 * with the API's message when the action fails.
 */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  size = 'sm',
}: {
  label: string;
  question: string;
  onConfirm: () => Promise<void>;
  size?: 'xs' | 'sm';
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button color="red" variant="light" size={size} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <ConfirmDialog opened={open} title={label} question={question} onClose={() => setOpen(false)} onConfirm={onConfirm} />
    </>
  );
}

/** The confirmation dialog alone, for actions started from a menu. */
export function ConfirmDialog({
  opened,
  title,
  question,
  onClose,
  onConfirm,
}: {
  opened: boolean;
  title: string;
  question: string;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        <Text>{question}</Text>
        <ErrorNotice error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" loading={busy} onClick={() => void confirm()}>
            {title}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
