import { useState } from 'react';
import { MultiSelect, NumberInput, Select, Text } from '@mantine/core';
import { service as serviceSchema, serviceInput, type CaCertificate, type Certificate, type Service } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { fieldError } from '../../forms/validate';
import { useSchemaForm } from '../../forms/useSchemaForm';
import { certificateName } from './certificateName';
import { summarizeCertificate } from './x509';

interface Values {
  /** `default` (null: Kong's default, off), `on`, `off`. */
  tls_verify: string;
  tls_verify_depth: number | string;
  ca_certificates: string[];
  client_certificate: string | null;
}

const VERIFY = [
  { value: 'default', label: 'Not set (off)' },
  { value: 'on', label: 'On' },
  { value: 'off', label: 'Off' },
];

function valuesOf(s: Service): Values {
  return {
    tls_verify: s.tls_verify === null ? 'default' : s.tls_verify ? 'on' : 'off',
    tls_verify_depth: s.tls_verify_depth ?? '',
    ca_certificates: s.ca_certificates,
    client_certificate: s.client_certificate?.id ?? null,
  };
}

/** The four upstream TLS fields of a gateway service as the API takes them. */
function fieldsOf(v: Values) {
  return {
    tls_verify: v.tls_verify === 'default' ? null : v.tls_verify === 'on',
    tls_verify_depth: v.tls_verify_depth === '' ? null : Number(v.tls_verify_depth),
    ca_certificates: v.ca_certificates,
    client_certificate: v.client_certificate === null ? null : { id: v.client_certificate },
  };
}

/**
 * "Edit TLS": how a gateway service talks TLS to its upstream (Kong's
 * fields) — verify the upstream's certificate, how deep its chain may be, the
 * CA certificates trusted for it, and the client certificate presented to an
 * upstream asking for one (mTLS). Checked with `serviceInput` on the whole
 * service (only https and tls services may set them, in Kong's words), sent
 * as a PATCH of these four fields.
 */
export function ServiceTlsModal({
  groupId,
  service,
  certificates,
  caCertificates,
  opened,
  onClose,
  onSaved,
}: {
  groupId: string;
  service: Service;
  certificates: readonly Certificate[];
  caCertificates: readonly CaCertificate[];
  opened: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [values, setValues] = useState<Values>(valuesOf(service));
  const form = useSchemaForm();

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    const next = { ...values, [key]: value };
    form.edited(values, next);
    setValues(next);
  };

  const submit = () => {
    const { id: _id, created_at: _c, updated_at: _u, ...stored } = service;
    const fields = fieldsOf(values);
    void form
      .submit(serviceInput, { ...stored, ...fields }, () =>
        api(`/runtime-groups/${groupId}/services/${service.id}`, { method: 'PATCH', body: fields, schema: serviceSchema }),
      )
      .then((ok) => {
        if (ok) onSaved();
      });
  };

  return (
    <FormModal opened={opened} onClose={onClose} title="Edit TLS" submitLabel="Save" form={form} errorTitle="The TLS settings were not saved" onSubmit={submit}>
      {service.protocol !== 'https' && service.protocol !== 'tls' && (
        <Text size="sm" c="dimmed">
          Only https and tls services talk TLS to their upstream; this one is {service.protocol}.
        </Text>
      )}
      <Select
        label="Verify the upstream's certificate"
        data={VERIFY}
        value={values.tls_verify}
        onChange={(v) => set('tls_verify', v ?? 'default')}
        allowDeselect={false}
        error={form.fields.tls_verify}
      />
      <NumberInput
        label="Verify depth"
        description="Longest certificate chain accepted (0–64); empty: the data plane's default"
        allowDecimal={false}
        value={values.tls_verify_depth}
        onChange={(v) => set('tls_verify_depth', v)}
        error={form.fields.tls_verify_depth}
      />
      <MultiSelect
        label="CA certificates"
        description="Trusted to verify the upstream (none: the data plane's own trusted roots)"
        placeholder={caCertificates.length === 0 ? 'No CA certificates in this group' : 'Choose CA certificates'}
        data={caCertificates.map((c) => ({ value: c.id, label: `${summarizeCertificate(c.cert)?.commonName ?? 'CA'} (${c.cert_digest.slice(0, 12)})` }))}
        value={values.ca_certificates}
        onChange={(v) => set('ca_certificates', v)}
        error={fieldError(form.fields, 'ca_certificates')}
        searchable
      />
      <Select
        label="Client certificate"
        description="Presented to an upstream that asks for one (mutual TLS)"
        placeholder={certificates.length === 0 ? 'No certificates in this group' : 'None'}
        data={certificates.map((c) => ({ value: c.id, label: `${certificateName(c)} (${c.id.slice(0, 8)})` }))}
        value={values.client_certificate}
        onChange={(v) => set('client_certificate', v)}
        clearable
        error={fieldError(form.fields, 'client_certificate')}
      />
    </FormModal>
  );
}
