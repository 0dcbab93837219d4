import { useState } from 'react';
import { Button, Collapse, Stack, TagsInput, Text } from '@mantine/core';
import { certificate, certificateInput, type Certificate } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { fieldError } from '../../forms/validate';
import { useSchemaForm } from '../../forms/useSchemaForm';
import { certificateBodies, certificateFormFrom, type CertificateFormValues } from './certificateForm';
import { PemInput } from './PemInput';

const KEPT = 'A key is set; it is never shown. Leave this empty to keep it, or paste a new key to replace it.';

/**
 * "New Certificate" and "Edit Certificate": the PEM certificate (a chain,
 * leaf first) and its private key, an optional alternative pair of the other
 * key type (an ECDSA and an RSA certificate for the same names), the SNIs
 * served with it (Kong's `snis` shortcut) and tags. Checked with the API's
 * schema first; the CP then checks the PEM itself (a key that does not match
 * its certificate) and its refusals show at the field. Keys are never read
 * back: an edit keeps the stored ones unless new ones are pasted.
 */
export function TlsCertificateModal({
  groupId,
  editing,
  opened,
  onClose,
  onSaved,
}: {
  groupId: string;
  editing: Certificate | null;
  opened: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [values, setValues] = useState<CertificateFormValues>(certificateFormFrom(editing));
  const [showAlt, setShowAlt] = useState(editing?.cert_alt != null);
  const form = useSchemaForm({
    // A refused alternative field must be visible.
    onRefused: (fields) => {
      if (Object.keys(fields).some((k) => k.startsWith('cert_alt') || k.startsWith('key_alt'))) setShowAlt(true);
    },
  });

  const set = <K extends keyof CertificateFormValues>(key: K, value: CertificateFormValues[K]) => {
    const next = { ...values, [key]: value };
    form.edited(values, next);
    setValues(next);
  };

  const submit = () => {
    const { check, send } = certificateBodies(values, editing);
    const base = `/runtime-groups/${groupId}/certificates`;
    void form
      .submit(certificateInput, check, () =>
        editing
          ? api(`${base}/${editing.id}`, { method: 'PATCH', body: send, schema: certificate })
          : api(base, { method: 'POST', body: send, schema: certificate }),
      )
      .then((ok) => {
        if (ok) onSaved();
      });
  };

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={editing ? 'Edit Certificate' : 'New Certificate'}
      size="lg"
      submitLabel={editing ? 'Save' : 'Create'}
      form={form}
      errorTitle={editing ? 'The certificate was not saved' : 'The certificate was not created'}
      onSubmit={submit}
    >
      <PemInput
        label="Certificate"
        description="PEM: the certificate, then any intermediate certificates; or a {vault://…} reference"
        placeholder="-----BEGIN CERTIFICATE-----"
        required
        value={values.cert}
        onChange={(v) => set('cert', v)}
        error={form.fields.cert}
      />
      <PemInput
        label="Private key"
        description={editing ? KEPT : 'PEM (PKCS#8, RSA or EC), without a passphrase; stored encrypted and never shown again'}
        placeholder="-----BEGIN PRIVATE KEY-----"
        required={!editing}
        value={values.key}
        onChange={(v) => set('key', v)}
        error={form.fields.key}
      />
      <TagsInput
        label="SNIs"
        description="Server names served with this certificate (exact, or one wildcard label: *.example.com). Press Enter after each."
        value={values.snis}
        onChange={(v) => set('snis', v)}
        error={fieldError(form.fields, 'snis')}
      />
      <TagsInput
        label="Tags"
        description="Press Enter after each tag."
        value={values.tags}
        onChange={(v) => set('tags', v)}
        error={fieldError(form.fields, 'tags')}
      />
      <Stack gap="xs">
        <Button variant="subtle" size="compact-sm" onClick={() => setShowAlt((s) => !s)} aria-expanded={showAlt} style={{ alignSelf: 'flex-start' }}>
          {showAlt ? 'Hide the alternative certificate' : 'Add an alternative certificate'}
        </Button>
        <Collapse expanded={showAlt}>
          <Stack>
            <Text size="sm" c="dimmed">
              A second pair of the other key type (ECDSA beside RSA), served to clients that offer it. Empty the certificate to remove the pair.
            </Text>
            <PemInput label="Alternative certificate" value={values.cert_alt} onChange={(v) => set('cert_alt', v)} error={form.fields.cert_alt} />
            <PemInput
              label="Alternative private key"
              description={editing?.cert_alt != null ? KEPT : undefined}
              value={values.key_alt}
              onChange={(v) => set('key_alt', v)}
              error={form.fields.key_alt}
            />
          </Stack>
        </Collapse>
      </Stack>
    </FormModal>
  );
}
