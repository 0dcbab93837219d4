import { Textarea } from '@mantine/core';

/**
 * A PEM text field: monospaced, tall enough to show a block, not
 * spell-checked. `description` says what it holds (or that a stored key is
 * kept when left empty).
 */
export function PemInput({
  label,
  value,
  onChange,
  error,
  description,
  placeholder,
  required,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  description?: string;
  placeholder?: string;
  required?: boolean;
}) {
  return (
    <Textarea
      label={label}
      description={description}
      placeholder={placeholder}
      required={required}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      autosize
      minRows={4}
      maxRows={10}
      spellCheck={false}
      autoComplete="off"
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
    />
  );
}
