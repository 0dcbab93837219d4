import { useState } from 'react';
import { TextInput, Textarea } from '@mantine/core';
import { runtimeGroup, runtimeGroupInput, type RuntimeGroup } from '@gatehouse/protocol';
import { api } from '../api/client';
import { FormModal } from '../components/FormModal';
import { useSchemaForm } from '../forms/useSchemaForm';

/** "New Runtime Group": a name unique in the organization and a description. */
export function CreateRuntimeGroupModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (g: RuntimeGroup) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const form = useSchemaForm();

  const submit = () =>
    void form.submit(runtimeGroupInput, { name: name.trim(), description: description.trim() || undefined }, async (body) =>
      onCreated(await api('/runtime-groups', { method: 'POST', body, schema: runtimeGroup })),
    );

  return (
    <FormModal opened={opened} onClose={onClose} title="New Runtime Group" form={form} errorTitle="The runtime group was not created" onSubmit={submit}>
      <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={form.fields.name} />
      <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={form.fields.description} />
    </FormModal>
  );
}
