import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { runtimeGroupInput } from '@gatehouse/protocol';
import { api, ApiError } from '../api/client';
import type { RuntimeGroup } from '../api/types';
import { check } from '../forms/validate';
import { ErrorNotice } from '../components/ErrorNotice';

/** "New Runtime Group": a name unique in the organization and a description. */
export function CreateRuntimeGroupModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (g: RuntimeGroup) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const body = { name: name.trim(), description: description.trim() || undefined };
    const checked = check(runtimeGroupInput, body);
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    setBusy(true);
    try {
      onCreated(await api<RuntimeGroup>('/runtime-groups', { method: 'POST', body }));
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="New Runtime Group">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorNotice error={error} title="The runtime group was not created" />
          <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={fields.name} />
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
