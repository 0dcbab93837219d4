import { useState } from 'react';
import { TagsInput } from '@mantine/core';
import { caCertificate, caCertificateInput } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { fieldError } from '../../forms/validate';
import { useSchemaForm } from '../../forms/useSchemaForm';
import { PemInput } from './PemInput';

/**
 * "New CA Certificate": one PEM certificate that is a CA (the CP checks that
 * with OpenSSL and computes its digest) and tags.
 */
export function CaCertificateModal({ groupId, opened, onClose, onSaved }: { groupId: string; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const [cert, setCert] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const form = useSchemaForm();

  const submit = () => {
    const body = { cert: cert.trim() === '' ? undefined : cert, tags };
    void form
      .submit(caCertificateInput, body, (parsed) => api(`/runtime-groups/${groupId}/ca_certificates`, { method: 'POST', body: parsed, schema: caCertificate }))
      .then((ok) => {
        if (ok) onSaved();
      });
  };

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title="New CA Certificate"
      size="lg"
      form={form}
      errorTitle="The CA certificate was not created"
      onSubmit={submit}
    >
      <PemInput
        label="CA certificate"
        description="PEM: one CA certificate, trusted by the gateway services that name it to verify their upstream"
        placeholder="-----BEGIN CERTIFICATE-----"
        required
        value={cert}
        onChange={(v) => {
          form.edited({ cert }, { cert: v });
          setCert(v);
        }}
        error={form.fields.cert}
      />
      <TagsInput
        label="Tags"
        description="Press Enter after each tag."
        value={tags}
        onChange={(v) => {
          form.edited({ tags }, { tags: v });
          setTags(v);
        }}
        error={fieldError(form.fields, 'tags')}
      />
    </FormModal>
  );
}
