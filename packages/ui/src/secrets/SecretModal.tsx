import { useState } from 'react';
import { PasswordInput, TextInput } from '@mantine/core';
import { secretAnswer, secretInput, secretName } from '@gatehouse/protocol';
import { api, seg } from '../api/client';
import { FormModal } from '../components/FormModal';
import { useSchemaForm } from '../forms/useSchemaForm';

/** The name (in the URL) and the value (the body) of `PUT /v1/secrets/{name}`, checked together. */
const secretForm = secretInput.extend({ name: secretName });

/**
 * "New Secret" and "Set value": a secret's name and its value, typed into a
 * password field and sent once with `PUT /secrets/{name}` (a new value
 * replaces the old one; the API never answers a value, so the dialog never
 * shows one). `name` given: setting the value of that secret.
 */
export function SecretModal({ name, opened, onClose, onSaved }: { name: string | null; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const [values, setValues] = useState({ name: name ?? '', value: '' });
  const form = useSchemaForm();

  const set = (key: 'name' | 'value', v: string) => {
    const next = { ...values, [key]: v };
    form.edited(values, next);
    setValues(next);
  };

  const submit = () => {
    const body = { name: values.name.trim(), value: values.value === '' ? undefined : values.value };
    void form
      .submit(secretForm, body, (parsed) => api(`/secrets/${seg(parsed.name)}`, { method: 'PUT', body: { value: parsed.value }, schema: secretAnswer }))
      .then((ok) => {
        if (ok) onSaved();
      });
  };

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={name === null ? 'New Secret' : `Set value of ${name}`}
      submitLabel={name === null ? 'Create' : 'Save'}
      form={form}
      errorTitle="The secret was not saved"
      onSubmit={submit}
    >
      {name === null && (
        <TextInput
          label="Name"
          description="Letters, digits, _, - and .; referenced as {vault://gatehouse/NAME}"
          required
          data-autofocus
          value={values.name}
          onChange={(e) => set('name', e.currentTarget.value)}
          error={form.fields.name}
        />
      )}
      <PasswordInput
        label="Value"
        description="Stored encrypted; it is never shown again, only replaced"
        required
        autoComplete="new-password"
        data-autofocus={name !== null ? true : undefined}
        value={values.value}
        onChange={(e) => set('value', e.currentTarget.value)}
        error={form.fields.value}
      />
    </FormModal>
  );
}
