import { useState } from 'react';
import { Select, TagsInput, TextInput } from '@mantine/core';
import { sni, sniInput, type Certificate } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { fieldError } from '../../forms/validate';
import { useSchemaForm } from '../../forms/useSchemaForm';
import { certificateName } from './certificateName';

interface Values {
  name: string;
  certificate: string | null;
  tags: string[];
}

/**
 * "Add SNI": a server name (exact, or one wildcard label at either end) and
 * the certificate served for it, chosen from the group's certificates.
 * Checked with the API's `sniInput`; a name already taken in the group is
 * the API's 409, shown under the fields.
 */
export function SniModal({
  groupId,
  certificates,
  opened,
  onClose,
  onSaved,
}: {
  groupId: string;
  certificates: readonly Certificate[];
  opened: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [values, setValues] = useState<Values>({ name: '', certificate: certificates.length === 1 ? (certificates[0]?.id ?? null) : null, tags: [] });
  const form = useSchemaForm();

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    const next = { ...values, [key]: value };
    form.edited(values, next);
    setValues(next);
  };

  const submit = () => {
    const body = { name: values.name.trim(), certificate: values.certificate === null ? undefined : { id: values.certificate }, tags: values.tags };
    void form
      .submit(sniInput, body, (parsed) => api(`/runtime-groups/${groupId}/snis`, { method: 'POST', body: parsed, schema: sni }))
      .then((ok) => {
        if (ok) onSaved();
      });
  };

  return (
    <FormModal opened={opened} onClose={onClose} title="Add SNI" form={form} errorTitle="The SNI was not created" onSubmit={submit}>
      <TextInput
        label="Name"
        description="The server name a client asks for: shop.example.com, *.example.com or example.*"
        required
        data-autofocus
        value={values.name}
        onChange={(e) => set('name', e.currentTarget.value)}
        error={form.fields.name}
      />
      <Select
        label="Certificate"
        required
        placeholder="Choose a certificate"
        data={certificates.map((c) => ({ value: c.id, label: `${certificateName(c)} (${c.id.slice(0, 8)})` }))}
        value={values.certificate}
        onChange={(v) => set('certificate', v)}
        error={fieldError(form.fields, 'certificate')}
        comboboxProps={{ withinPortal: true }}
      />
      <TagsInput
        label="Tags"
        description="Press Enter after each tag."
        value={values.tags}
        onChange={(v) => set('tags', v)}
        error={fieldError(form.fields, 'tags')}
      />
    </FormModal>
  );
}
