import { useState } from 'react';
import { NumberInput, TextInput } from '@mantine/core';
import { target, targetInput, type Target } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../forms/useSchemaForm';

/** "Add Target" and "Edit Target": `host:port` (port 8000 when none is given) and a weight 0–65535 (0: out of rotation). */
export function TargetModal({
  base,
  editing,
  opened,
  onClose,
  onSaved,
}: {
  /** The upstream's targets path: `/runtime-groups/{rg}/upstreams/{u}/targets`. */
  base: string;
  editing: Target | null;
  opened: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  // Mounted afresh (a `key`) for each opening, so it starts from `editing`.
  const [address, setAddress] = useState(editing?.target ?? '');
  const [weight, setWeight] = useState<number | string>(editing?.weight ?? 100);
  const form = useSchemaForm();

  const submit = () => {
    const body = { target: address.trim(), weight: typeof weight === 'number' ? weight : Number(weight), tags: editing?.tags ?? [] };
    void form
      // An edit is a PATCH of the two fields shown: tags stay as stored now.
      .submit(targetInput, body, (parsed) =>
        api(editing ? `${base}/${editing.id}` : base, {
          method: editing ? 'PATCH' : 'POST',
          body: editing ? { target: parsed.target, weight: parsed.weight } : parsed,
          schema: target,
        }),
      )
      .then((ok) => {
        if (ok) onSaved();
      });
  };

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={editing ? 'Edit Target' : 'Add Target'}
      submitLabel={editing ? 'Save' : 'Create'}
      form={form}
      errorTitle={editing ? 'The target was not saved' : 'The target was not added'}
      onSubmit={submit}
    >
      <TextInput
        label="Target"
        description="host:port, an IP address (IPv6 in brackets) or a hostname; port 8000 when none is given"
        required
        data-autofocus
        value={address}
        onChange={(e) => {
          form.edited({ target: address }, { target: e.currentTarget.value });
          setAddress(e.currentTarget.value);
        }}
        error={form.fields.target}
      />
      <NumberInput
        label="Weight"
        description="0 takes the target out of rotation"
        value={weight}
        onChange={(v) => {
          form.edited({ weight }, { weight: v });
          setWeight(v);
        }}
        error={form.fields.weight}
      />
    </FormModal>
  );
}
