import { useState } from 'react';
import { Select, TextInput } from '@mantine/core';
import { DEFAULT_RUNTIME_GROUP, hubVersion, hubVersionInput, type HubVersion, type RuntimeGroup } from '@gatehouse/protocol';
import { api } from '../api/client';
import { FormModal } from '../components/FormModal';
import { useSchemaForm } from '../forms/useSchemaForm';

interface Props {
  opened: boolean;
  serviceId: string;
  groups: RuntimeGroup[];
  onClose: () => void;
  onCreated: (v: HubVersion) => void;
}

/** "New Version": a name and the runtime group the version belongs to for life (the `default` group chosen first). */
export function CreateVersionModal({ opened, serviceId, groups, onClose, onCreated }: Props) {
  const [name, setName] = useState('');
  const [chosenGroupId, setGroupId] = useState<string | null>(null);
  // Until one is chosen: the `default` group, else the first.
  const groupId = chosenGroupId ?? (groups.find((g) => g.name === DEFAULT_RUNTIME_GROUP) ?? groups[0])?.id ?? null;
  const form = useSchemaForm();

  const submit = () =>
    void form.submit(hubVersionInput, { name, runtime_group_id: groupId ?? '' }, async (body) =>
      onCreated(await api(`/service-hub/services/${serviceId}/versions`, { method: 'POST', body, schema: hubVersion })),
    );

  return (
    <FormModal opened={opened} onClose={onClose} title="New Version" form={form} errorTitle="The version was not created" onSubmit={submit}>
      <TextInput
        label="Version name"
        required
        data-autofocus
        placeholder="v1"
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={form.fields.name}
      />
      <Select
        label="Runtime group"
        required
        allowDeselect={false}
        data={groups.map((g) => ({ value: g.id, label: g.name }))}
        value={groupId}
        onChange={setGroupId}
        error={form.fields.runtime_group_id}
        description="The version's gateway service and routes live in this group."
      />
    </FormModal>
  );
}
