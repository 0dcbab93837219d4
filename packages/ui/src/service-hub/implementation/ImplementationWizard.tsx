import { useState } from 'react';
import { Button, Group, Modal, Stack, Stepper } from '@mantine/core';
import { implementationInput, serviceInput } from '@gatehouse/protocol';
import { api, ApiError } from '../../api/client';
import { check, fieldsUnder, withoutChanged } from '../../forms/validate';
import type { ServiceFormState } from './serviceForm';
import type { RouteFormState } from './routeForm';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ServiceFields } from './ServiceFields';
import { RouteFields } from './RouteFields';
import { emptyServiceForm, serviceBody } from './serviceForm';
import { emptyRouteForm, routeBody } from './routeForm';

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
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const editService = (next: ServiceFormState) => {
    setFields((f) => withoutChanged(f, service, next, 'service.'));
    setService(next);
  };
  const editRoute = (next: RouteFormState) => {
    setFields((f) => withoutChanged(f, route, next, 'route.'));
    setRoute(next);
  };

  const close = () => {
    setStep(0);
    setService(emptyServiceForm());
    setRoute(emptyRouteForm());
    setFields({});
    setError(undefined);
    onClose();
  };

  const next = () => {
    const checked = check(serviceInput, serviceBody(service));
    if (!checked.ok) return setFields(prefixed('service.', checked.fields));
    setFields({});
    setStep(1);
  };

  const create = async () => {
    setError(undefined);
    const body = { service: serviceBody(service), route: routeBody(route) };
    const checked = check(implementationInput, body);
    if (!checked.ok) return show(checked.fields);
    setBusy(true);
    try {
      await api(`${versionPath}/implementation`, { method: 'POST', body });
      close();
      onCreated();
    } catch (err) {
      if (err instanceof ApiError) show(err.fields);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // A refused gateway service field sends the user back to step 1, where it is.
  const show = (f: Record<string, string>) => {
    setFields(f);
    if (Object.keys(fieldsUnder(f, 'service.')).length > 0) setStep(0);
  };

  return (
    <Modal opened={opened} onClose={close} title="Create Implementation" size="lg">
      <Stack>
        <Stepper active={step} size="sm" allowNextStepsSelect={false} onStepClick={setStep}>
          <Stepper.Step label="Gateway service" description="Where requests go">
            <ServiceFields value={service} onChange={editService} errors={fieldsUnder(fields, 'service.')} />
          </Stepper.Step>
          <Stepper.Step label="Add a Route" description="How requests match">
            <RouteFields value={route} onChange={editRoute} errors={fieldsUnder(fields, 'route.')} />
          </Stepper.Step>
        </Stepper>
        <ErrorNotice error={error} title="The implementation was not created" />
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
              <Button loading={busy} onClick={() => void create()}>
                Create
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

function prefixed(prefix: string, fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [prefix + k, v]));
}
