import { useState } from 'react';
import { serviceInput, type Service } from '@gatehouse/protocol';
import { api } from '../api/client';
import { FormModal } from '../components/FormModal';
import { useSchemaForm } from '../forms/useSchemaForm';
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
  const [values, setValues] = useState(() => serviceFormFrom(service));
  // The API names this form's fields `service.…`, as they sit in the PATCH body.
  const form = useSchemaForm({ apiPrefix: 'service.' });
  const { reset } = form;

  // Each opening (or a new service while open) starts from the saved service: adjusted while
  // rendering, as React recommends for state that follows props, rather than in an effect.
  const [shown, setShown] = useState({ opened, service });
  if (shown.opened !== opened || shown.service !== service) {
    setShown({ opened, service });
    if (opened) {
      setValues(serviceFormFrom(service));
      reset();
    }
  }

  const edit = (next: ServiceFormState) => {
    form.edited(values, next);
    setValues(next);
  };

  const body = serviceBody(values);
  const submit = async () => {
    if (await form.submit(serviceInput, body, () => api(`${versionPath}/implementation`, { method: 'PATCH', body: { service: body } }))) {
      onClose();
      onSaved();
    }
  };

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title="Edit implementation"
      size="lg"
      form={form}
      errorTitle="The implementation was not saved"
      submitLabel="Save"
      onSubmit={() => void submit()}
    >
      <ServiceFields value={values} onChange={edit} errors={form.fields} />
    </FormModal>
  );
}
