import { useState } from 'react';
import { Button, Group, Modal, Stack, Stepper } from '@mantine/core';
import { implementationInput, serviceInput } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { fieldsUnder } from '../../forms/validate';
import { useSchemaForm } from '../../forms/useSchemaForm';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ServiceFields } from './ServiceFields';
import { RouteFields } from './RouteFields';
import { emptyServiceForm, serviceBody, type ServiceFormState } from './serviceForm';
import { emptyRouteForm, routeBody, type RouteFormState } from './routeForm';

interface Props {
  opened: boolean;
  /** `/service-hub/services/{id}/versions/{vid}`: where the implementation is created. */
  versionPath: string;
  onClose: () => void;
  onCreated: () => void;
}

/**
 * **New Implementation**, Konnect's two-step dialog: step 1 the gateway
 * service, **Next**; step 2 **Add a Route**, **Create**. Both go to the API in
 * one request, so either both exist afterwards or neither does.
 */
export function ImplementationWizard({ opened, versionPath, onClose, onCreated }: Props) {
  const [step, setStep] = useState(0);
  const [service, setService] = useState(emptyServiceForm);
  const [route, setRoute] = useState(emptyRouteForm);
  // A refused gateway service field sends the user back to step 1, where it is.
  const form = useSchemaForm({ onRefused: (f) => Object.keys(fieldsUnder(f, 'service.')).length > 0 && setStep(0) });

  const editService = (next: ServiceFormState) => {
    form.edited(service, next, 'service.');
    setService(next);
  };
  const editRoute = (next: RouteFormState) => {
    form.edited(route, next, 'route.');
    setRoute(next);
  };

  const close = () => {
    setStep(0);
    setService(emptyServiceForm());
    setRoute(emptyRouteForm());
    form.reset();
    onClose();
  };

  const next = () => {
    if (form.check(serviceInput, serviceBody(service), 'service.')) setStep(1);
  };

  const create = async () => {
    const body = { service: serviceBody(service), route: routeBody(route) };
    if (await form.submit(implementationInput, body, () => api(`${versionPath}/implementation`, { method: 'POST', body }))) {
      close();
      onCreated();
    }
  };

  return (
    <Modal opened={opened} onClose={close} title="Create Implementation" size="lg">
      <Stack>
        <Stepper active={step} size="sm" allowNextStepsSelect={false} onStepClick={setStep}>
          <Stepper.Step label="Gateway service" description="Where requests go">
            <ServiceFields value={service} onChange={editService} errors={fieldsUnder(form.fields, 'service.')} />
          </Stepper.Step>
          <Stepper.Step label="Add a Route" description="How requests match">
            <RouteFields value={route} onChange={editRoute} errors={fieldsUnder(form.fields, 'route.')} />
          </Stepper.Step>
        </Stepper>
        <ErrorNotice error={form.error} title="The implementation was not created" />
        <Group justify="flex-end">
          {step === 0 ? (
            <>
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button onClick={next}>Next</Button>
            </>
          ) : (
            <>
              <Button variant="default" onClick={() => setStep(0)}>
                Back
              </Button>
              <Button loading={form.busy} onClick={() => void create()}>
                Create
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
