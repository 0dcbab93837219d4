import { useState } from 'react';
import { TextInput, Textarea } from '@mantine/core';
import { hubService, hubServiceInput, type HubService } from '@gatehouse/protocol';
import { api } from '../api/client';
import { FormModal } from '../components/FormModal';
import { useSchemaForm } from '../forms/useSchemaForm';

/** "New Service": name (spaces count as `-`), optional display name and description. */
export function CreateServiceModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (s: HubService) => void }) {
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [description, setDescription] = useState('');
  const form = useSchemaForm();

  const submit = () =>
    void form.submit(hubServiceInput, { name, display_name: displayName.trim() || undefined, description: description.trim() || undefined }, async (body) =>
      onCreated(await api('/service-hub/services', { method: 'POST', body, schema: hubService })),
    );

  return (
    <FormModal opened={opened} onClose={onClose} title="New Service" form={form} errorTitle="The service was not created" onSubmit={submit}>
      <TextInput
        label="Service name"
        required
        data-autofocus
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={form.fields.name}
        description="Letters, digits, spaces and . - _ ~ :"
      />
      <TextInput label="Display name" value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} error={form.fields.display_name} />
      <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={form.fields.description} />
    </FormModal>
  );
}
