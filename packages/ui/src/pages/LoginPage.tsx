import { useState, type SubmitEvent } from 'react';
import { Button, Center, Paper, PasswordInput, Stack, TextInput, Title, Text } from '@mantine/core';
import { useSession } from '../auth/session';
import { ErrorNotice } from '../components/ErrorNotice';

/** The sign-in form: email and password, `POST /v1/auth/login`. */
export function LoginPage() {
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(email.trim(), password);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={400}>
        <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
          <Stack>
            <div>
              <Title order={1} size="h2">
                Gatehouse
              </Title>
              <Text c="dimmed" size="sm">
                Sign in to manage your services and runtimes.
              </Text>
            </div>
            <ErrorNotice error={error} title="Sign-in failed" />
            <TextInput label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
