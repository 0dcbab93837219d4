import { useEffect, useState, type FormEvent } from 'react';
import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { DEFAULT_RUNTIME_GROUP, hubVersionInput } from '@gatehouse/protocol';
import { api, ApiError } from '../api/client';
import type { HubVersion, RuntimeGroup } from '../api/types';
import { check } from '../forms/validate';
import { ErrorNotice } from '../components/ErrorNotice';

interface Props {
  opened: boolean;
  serviceId: string;
  groups: RuntimeGroup[];
  onClose: () => void;
  onCreated: (v: HubVersion) => void;
}

/** "New Version": a name and the runtime group the version belongs to for life. */
export function CreateVersionModal({ opened, serviceId, groups, onClose, onCreated }: Props) {
  const [name, setName] = useState('');
  const [groupId, setGroupId] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (groupId === null && groups.length > 0) setGroupId((groups.find((g) => g.name === DEFAULT_RUNTIME_GROUP) ?? groups[0])?.id ?? null);
  }, [groups, groupId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const checked = check(hubVersionInput, { name, runtime_group_id: groupId ?? '' });
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    setBusy(true);
    try {
      onCreated(await api<HubVersion>(`/service-hub/services/${serviceId}/versions`, { method: 'POST', body: checked.value }));
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="New Version">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorNotice error={error} title="The version was not created" />
          <TextInput label="Version name" required data-autofocus placeholder="v1" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fields.name} />
          <Select
            label="Runtime group"
            required
            allowDeselect={false}
            data={groups.map((g) => ({ value: g.id, label: g.name }))}
            value={groupId}
            onChange={setGroupId}
            error={fields.runtime_group_id}
            description="The version's gateway service and routes live in this group."
          />
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
