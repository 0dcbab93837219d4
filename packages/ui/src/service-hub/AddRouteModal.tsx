import { useState } from 'react';
import { routeInput } from '@gatehouse/protocol';
import { api } from '../api/client';
import { FormModal } from '../components/FormModal';
import { useSchemaForm } from '../forms/useSchemaForm';
import { RouteFields } from './implementation/RouteFields';
import { emptyRouteForm, routeBody, type RouteFormState } from './implementation/routeForm';

/** **+ Add route**: one more route on the version's gateway service, in its runtime group. Closing empties the form. */
export function AddRouteModal({
  opened,
  versionPath,
  onClose,
  onCreated,
}: {
  opened: boolean;
  versionPath: string;
  onClose: () => void;
  onCreated: () => void;
}) {
  const [route, setRoute] = useState(emptyRouteForm);
  const form = useSchemaForm();

  const edit = (next: RouteFormState) => {
    form.edited(route, next);
    setRoute(next);
  };

  const close = () => {
    setRoute(emptyRouteForm());
    form.reset();
    onClose();
  };

  // The body goes as the user wrote it: the API fills the defaults and the parent service itself.
  const body = routeBody(route);
  const submit = async () => {
    if (await form.submit(routeInput, body, () => api(`${versionPath}/routes`, { method: 'POST', body }))) {
      close();
      onCreated();
    }
  };

  return (
    <FormModal opened={opened} onClose={close} title="Add a Route" size="lg" form={form} errorTitle="The route was not created" onSubmit={() => void submit()}>
      <RouteFields value={route} onChange={edit} errors={form.fields} />
    </FormModal>
  );
}
