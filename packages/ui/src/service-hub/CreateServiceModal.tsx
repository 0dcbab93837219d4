import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { hubServiceInput } from '@gatehouse/protocol';
import { api, ApiError } from '../api/client';
import type { HubService } from '../api/types';
import { check } from '../forms/validate';
import { ErrorNotice } from '../components/ErrorNotice';

/** "New Service": name (spaces count as `-`), optional display name and description. */
export function CreateServiceModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (s: HubService) => void }) {
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [description, setDescription] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const body = { name, display_name: displayName.trim() || undefined, description: description.trim() || undefined };
    const checked = check(hubServiceInput, body);
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    setBusy(true);
    try {
      onCreated(await api<HubService>('/service-hub/services', { method: 'POST', body: checked.value }));
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="New Service">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorNotice error={error} title="The service was not created" />
          <TextInput label="Service name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={fields.name} description="Letters, digits, spaces and . - _ ~ :" />
          <TextInput label="Display name" value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} error={fields.display_name} />
          <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={fields.description} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
