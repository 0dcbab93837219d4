import { Button, Collapse, Group, NumberInput, Radio, Select, Stack, Switch, TagsInput, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { serviceProtocol } from '@gatehouse/protocol';
import { fieldError } from '../../forms/validate';
import type { ServiceFormState } from './serviceForm';

interface Props {
  value: ServiceFormState;
  onChange: (next: ServiceFormState) => void;
  /** Messages by field name, as the API names them (`url`, `host`, `retries`, …). */
  errors: Record<string, string>;
}

/**
 * The gateway service fields of step 1 of **New Implementation** (and of
 * editing one): name, **Add using URL** or protocol/host/port/path, and
 * **View 6 Advanced Fields** (retries, three timeouts, tags, enabled).
 */
export function ServiceFields({ value, onChange, errors }: Props) {
  const [advanced, { toggle }] = useDisclosure(false);
  const set = <K extends keyof ServiceFormState>(key: K, v: ServiceFormState[K]) => onChange({ ...value, [key]: v });
  // The API reports a bad URL on the parts it expands into, so show those on the URL field too.
  const urlError = errors.url ?? errors.protocol ?? errors.host ?? errors.port ?? errors.path;

  return (
    <Stack>
      <TextInput
        label="Gateway service name"
        description="Letters, digits and . - _ ~ : (no spaces); unique in the runtime group."
        required
        data-autofocus
        value={value.name}
        onChange={(e) => set('name', e.currentTarget.value)}
        error={errors.name}
      />
      <Radio.Group label="Upstream" value={value.mode} onChange={(v) => set('mode', v === 'parts' ? 'parts' : 'url')}>
        <Group mt="xs">
          <Radio value="url" label="Add using URL" />
          <Radio value="parts" label="Add using Protocol, Host and Path" />
        </Group>
      </Radio.Group>
      {value.mode === 'url' ? (
        <TextInput
          label="URL"
          required
          placeholder="http://mockbin.org"
          value={value.url}
          onChange={(e) => set('url', e.currentTarget.value)}
          error={urlError}
        />
      ) : (
        <Group grow align="flex-start" wrap="wrap">
          <Select
            label="Protocol"
            allowDeselect={false}
            data={serviceProtocol.options}
            value={value.protocol}
            onChange={(v) => set('protocol', v ?? 'http')}
            error={errors.protocol}
            miw={120}
          />
          <TextInput label="Host" required value={value.host} onChange={(e) => set('host', e.currentTarget.value)} error={errors.host} miw={160} />
          <NumberInput label="Port" value={value.port} onChange={(v) => set('port', v)} error={errors.port} allowDecimal={false} miw={100} />
          <TextInput label="Path" placeholder="/" value={value.path} onChange={(e) => set('path', e.currentTarget.value)} error={errors.path} miw={120} />
        </Group>
      )}
      <Button variant="subtle" px={0} w="fit-content" onClick={toggle} aria-expanded={advanced}>
        {advanced ? 'Hide 6 Advanced Fields' : 'View 6 Advanced Fields'}
      </Button>
      <Collapse expanded={advanced || hasAdvancedError(errors)}>
        <Stack>
          <NumberInput label="Retries" value={value.retries} onChange={(v) => set('retries', v)} error={errors.retries} allowDecimal={false} min={0} />
          <NumberInput
            label="Connect timeout (ms)"
            value={value.connect_timeout}
            onChange={(v) => set('connect_timeout', v)}
            error={errors.connect_timeout}
            allowDecimal={false}
            min={1}
          />
          <NumberInput
            label="Write timeout (ms)"
            value={value.write_timeout}
            onChange={(v) => set('write_timeout', v)}
            error={errors.write_timeout}
            allowDecimal={false}
            min={1}
          />
          <NumberInput
            label="Read timeout (ms)"
            value={value.read_timeout}
            onChange={(v) => set('read_timeout', v)}
            error={errors.read_timeout}
            allowDecimal={false}
            min={1}
          />
          <TagsInput
            label="Tags"
            description="Press Enter after each tag."
            value={value.tags}
            onChange={(v) => set('tags', v)}
            error={fieldError(errors, 'tags')}
          />
          <Switch label="Enabled" checked={value.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} error={errors.enabled} />
        </Stack>
      </Collapse>
    </Stack>
  );
}

const ADVANCED = ['retries', 'connect_timeout', 'write_timeout', 'read_timeout', 'tags', 'enabled'];

/** A refused advanced field must be visible, so its section opens. */
function hasAdvancedError(errors: Record<string, string>): boolean {
  return Object.keys(errors).some((k) => ADVANCED.some((a) => k === a || k.startsWith(`${a}[`)));
}
