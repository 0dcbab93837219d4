import { ActionIcon, Button, Collapse, Group, MultiSelect, NumberInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { routeProtocol } from '@gatehouse/protocol';
import { fieldError } from '../../forms/validate';
import type { RouteFormState } from './routeForm';

interface Props {
  value: RouteFormState;
  onChange: (next: RouteFormState) => void;
  /** Messages by field name, as the API names them (`paths[0]`, `methods`, …). */
  errors: Record<string, string>;
}

const ADVANCED = ['protocols', 'strip_path', 'preserve_host', 'regex_priority', 'snis', 'sources', 'destinations'];

/** The protocols a route can be given here: Kong's, without `udp` (refused: Gatehouse has no UDP proxy). */
const PROTOCOLS = routeProtocol.options.filter((p) => p !== 'udp');

/**
 * The route fields of **Add a Route** (step 2 of New Implementation, and
 * **+ Add route**): name, **Method**, Host(s), **Path(s)** with **Add Path**,
 * and **View 4 Advanced Fields** (protocols, strip path, preserve host, regex priority).
 */
export function RouteFields({ value, onChange, errors }: Props) {
  const [advanced, { toggle }] = useDisclosure(false);
  const set = <K extends keyof RouteFormState>(key: K, v: RouteFormState[K]) => onChange({ ...value, [key]: v });
  const setPath = (i: number, p: string) =>
    set(
      'paths',
      value.paths.map((old, j) => (j === i ? p : old)),
    );
  const showAdvanced = advanced || ADVANCED.some((a) => fieldError(errors, a) !== undefined);
  // A route with no matching condition at all is reported on `paths` (Kong's wording).
  const pathsError = errors.paths;

  return (
    <Stack>
      <TextInput
        label="Name"
        description="Unique in the organization; case-sensitive."
        data-autofocus
        value={value.name}
        onChange={(e) => set('name', e.currentTarget.value)}
        error={errors.name}
      />
      <TextInput
        label="Method"
        description="One method or a comma-separated list, e.g. GET, POST"
        placeholder="GET"
        value={value.methods}
        onChange={(e) => set('methods', e.currentTarget.value)}
        error={fieldError(errors, 'methods')}
      />
      <TextInput
        label="Host(s)"
        description="Comma-separated; optional."
        value={value.hosts}
        onChange={(e) => set('hosts', e.currentTarget.value)}
        error={fieldError(errors, 'hosts')}
      />
      <Stack gap={6} role="group" aria-label="Path(s)">
        <Text size="sm" fw={500}>
          Path(s)
        </Text>
        {value.paths.map((p, i) => (
          <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              aria-label={`Path ${i + 1}`}
              placeholder="/mock"
              value={p}
              onChange={(e) => setPath(i, e.currentTarget.value)}
              error={errors[`paths[${i}]`]}
              style={{ flex: 1 }}
              autoFocus={i === value.paths.length - 1 && p === ''}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={`Remove path ${i + 1}`}
              onClick={() =>
                set(
                  'paths',
                  value.paths.filter((_, j) => j !== i),
                )
              }
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        {pathsError && (
          <Text size="xs" c="red" role="alert">
            {pathsError}
          </Text>
        )}
        <Button variant="light" size="xs" w="fit-content" onClick={() => set('paths', [...value.paths, ''])}>
          Add Path
        </Button>
      </Stack>
      <Button variant="subtle" px={0} w="fit-content" onClick={toggle} aria-expanded={showAdvanced}>
        {showAdvanced ? 'Hide 4 Advanced Fields' : 'View 4 Advanced Fields'}
      </Button>
      <Collapse expanded={showAdvanced}>
        <Stack>
          <MultiSelect
            label="Protocols"
            data={PROTOCOLS}
            value={value.protocols}
            onChange={(v) => set('protocols', v)}
            // Stream routes (tcp, tls, tls_passthrough) match on fields this form does not have: their refusals show here.
            error={fieldError(errors, 'protocols') ?? fieldError(errors, 'sources') ?? fieldError(errors, 'snis') ?? fieldError(errors, 'destinations')}
          />
          <Switch label="Strip Path" checked={value.strip_path} onChange={(e) => set('strip_path', e.currentTarget.checked)} error={errors.strip_path} />
          <Switch
            label="Preserve Host"
            checked={value.preserve_host}
            onChange={(e) => set('preserve_host', e.currentTarget.checked)}
            error={errors.preserve_host}
          />
          <NumberInput
            label="Regex Priority"
            value={value.regex_priority}
            onChange={(v) => set('regex_priority', v)}
            error={errors.regex_priority}
            allowDecimal={false}
          />
        </Stack>
      </Collapse>
    </Stack>
  );
}
