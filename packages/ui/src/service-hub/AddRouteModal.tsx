import { useState } from 'react';
import { Button, Group, Modal, Stack } from '@mantine/core';
import { routeInput } from '@gatehouse/protocol';
import { api, ApiError } from '../api/client';
import { check, withoutChanged } from '../forms/validate';
import { ErrorNotice } from '../components/ErrorNotice';
import { RouteFields } from './implementation/RouteFields';
import { emptyRouteForm, routeBody, type RouteFormState } from './implementation/routeForm';

/** **+ Add route**: one more route on the version's gateway service, in its runtime group. */
export function AddRouteModal({ opened, versionPath, onClose, onCreated }: { opened: boolean; versionPath: string; onClose: () => void; onCreated: () => void }) {
  const [route, setRoute] = useState(emptyRouteForm);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const edit = (next: RouteFormState) => {
    setFields((f) => withoutChanged(f, route, next));
    setRoute(next);
  };

  const close = () => {
    setRoute(emptyRouteForm());
    setFields({});
    setError(undefined);
    onClose();
  };

  const create = async () => {
    setError(undefined);
    const body = routeBody(route);
    const checked = check(routeInput, body);
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    setBusy(true);
    try {
      await api(`${versionPath}/routes`, { method: 'POST', body });
      close();
      onCreated();
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title="Add a Route" size="lg">
      <Stack>
        <RouteFields value={route} onChange={edit} errors={fields} />
        <ErrorNotice error={error} title="The route was not created" />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => void create()}>
            Create
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
