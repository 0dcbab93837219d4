import { useState } from 'react';
import { NumberInput, Select, TextInput } from '@mantine/core';
import { balancerAlgorithm, hashOn, upstream, upstreamInput, type Upstream } from '@gatehouse/protocol';
import { api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../forms/useSchemaForm';

interface Values {
  name: string;
  algorithm: string;
  hash_on: string;
  hash_on_header: string;
  slots: number | string;
  host_header: string;
  max_concurrent_requests_per_target: number | string;
}

function valuesOf(u: Upstream | null): Values {
  return {
    name: u?.name ?? '',
    algorithm: u?.algorithm ?? 'round-robin',
    hash_on: u?.hash_on ?? 'none',
    hash_on_header: u?.hash_on_header ?? '',
    slots: u?.slots ?? 10000,
    host_header: u?.host_header ?? '',
    max_concurrent_requests_per_target: u?.max_concurrent_requests_per_target ?? '',
  };
}

/**
 * "New Upstream" and "Edit Upstream": the name (a hostname a gateway
 * service's host can name), the algorithm, what consistent hashing hashes on,
 * slots, the Host header override and the per-target concurrency limit. An edit is a PATCH of these fields, so
 * every field the dialog does not show (health checks, fallbacks, tags) stays
 * as stored, even when changed since the list was read. The parent mounts
 * it afresh (a `key`) for each opening, so it starts from `editing`.
 */
export function UpstreamModal({
  groupId,
  editing,
  opened,
  onClose,
  onSaved,
}: {
  groupId: string;
  /** The upstream to edit, or null to create one. */
  editing: Upstream | null;
  opened: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [values, setValues] = useState<Values>(valuesOf(editing));
  const form = useSchemaForm();

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    const next = { ...values, [key]: value };
    form.edited(values, next);
    setValues(next);
  };

  const submit = () => {
    const kept: Record<string, unknown> = {};
    if (editing) {
      const { id: _id, created_at: _c, updated_at: _u, ...rest } = editing;
      Object.assign(kept, rest);
    }
    const fields = {
      name: values.name.trim(),
      algorithm: values.algorithm,
      hash_on: values.hash_on,
      hash_on_header: values.hash_on_header.trim() === '' ? null : values.hash_on_header.trim(),
      slots: typeof values.slots === 'number' ? values.slots : Number(values.slots),
      host_header: values.host_header.trim() === '' ? null : values.host_header.trim(),
      max_concurrent_requests_per_target: values.max_concurrent_requests_per_target === '' ? null : Number(values.max_concurrent_requests_per_target),
    };
    const path = editing ? `/runtime-groups/${groupId}/upstreams/${editing.id}` : `/runtime-groups/${groupId}/upstreams`;
    // Checked whole (as the API will), but an edit sends only the dialog's fields: PATCH keeps the rest as stored now.
    void form
      .submit(upstreamInput, { ...kept, ...fields }, (parsed) =>
        api(path, { method: editing ? 'PATCH' : 'POST', body: editing ? fields : parsed, schema: upstream }),
      )
      .then((ok) => {
        if (ok) onSaved();
      });
  };

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={editing ? 'Edit Upstream' : 'New Upstream'}
      submitLabel={editing ? 'Save' : 'Create'}
      form={form}
      errorTitle={editing ? 'The upstream was not saved' : 'The upstream was not created'}
      onSubmit={submit}
    >
      <TextInput
        label="Name"
        description="A hostname: gateway services whose host is this name are balanced over its targets"
        required
        data-autofocus
        value={values.name}
        onChange={(e) => set('name', e.currentTarget.value)}
        error={form.fields.name}
      />
      <Select
        label="Algorithm"
        data={balancerAlgorithm.options}
        value={values.algorithm}
        onChange={(v) => set('algorithm', v ?? 'round-robin')}
        allowDeselect={false}
        error={form.fields.algorithm}
      />
      <Select
        label="Hash on"
        data={hashOn.options}
        value={values.hash_on}
        onChange={(v) => set('hash_on', v ?? 'none')}
        allowDeselect={false}
        error={form.fields.hash_on}
      />
      {values.hash_on === 'header' && (
        <TextInput
          label="Hash on header"
          value={values.hash_on_header}
          onChange={(e) => set('hash_on_header', e.currentTarget.value)}
          error={form.fields.hash_on_header}
        />
      )}
      <NumberInput label="Slots" value={values.slots} onChange={(v) => set('slots', v)} error={form.fields.slots} />
      <TextInput label="Host header" value={values.host_header} onChange={(e) => set('host_header', e.currentTarget.value)} error={form.fields.host_header} />
      <NumberInput
        label="Max concurrent requests per target"
        description="Requests in flight per target (per DP worker) beyond which the target is skipped; empty: no limit"
        value={values.max_concurrent_requests_per_target}
        onChange={(v) => set('max_concurrent_requests_per_target', v)}
        error={form.fields.max_concurrent_requests_per_target}
      />
    </FormModal>
  );
}
