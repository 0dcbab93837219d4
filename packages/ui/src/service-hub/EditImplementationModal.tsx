import { useEffect, useState } from 'react';
import { Button, Group, Modal, Stack } from '@mantine/core';
import { serviceInput } from '@gatehouse/protocol';
import { api, ApiError } from '../api/client';
import type { Service } from '../api/types';
import { check, fieldsUnder, withoutChanged } from '../forms/validate';
import { ErrorNotice } from '../components/ErrorNotice';
import { ServiceFields } from './implementation/ServiceFields';
import { serviceBody, serviceFormFrom, type ServiceFormState } from './implementation/serviceForm';

interface Props {
  opened: boolean;
  /** `/service-hub/services/{id}/versions/{vid}`. */
  versionPath: string;
  service: Service;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * Edits the implementation's gateway service (`PATCH …/implementation`). The
 * implementation *is* that gateway service, so the change shows in the
 * Runtime Manager too; the API keeps its `_KonnectService` tag.
 */
export function EditImplementationModal({ opened, versionPath, service, onClose, onSaved }: Props) {
  const [form, setForm] = useState(() => serviceFormFrom(service));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (opened) {
      setForm(serviceFormFrom(service));
      setFields({});
      setError(undefined);
    }
  }, [opened, service]);

  const edit = (next: ServiceFormState) => {
    setFields((f) => withoutChanged(f, form, next));
    setForm(next);
  };

  const save = async () => {
    setError(undefined);
    const body = serviceBody(form);
    const checked = check(serviceInput, body);
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    setBusy(true);
    try {
      await api(`${versionPath}/implementation`, { method: 'PATCH', body: { service: body } });
      onClose();
      onSaved();
    } catch (err) {
      if (err instanceof ApiError) setFields(fieldsUnder(err.fields, 'service.'));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Edit implementation" size="lg">
      <Stack>
        <ServiceFields value={form} onChange={edit} errors={fields} />
        <ErrorNotice error={error} title="The implementation was not saved" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => void save()}>
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
