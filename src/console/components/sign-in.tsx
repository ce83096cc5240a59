/**
 * The sign-in form: one field for the agent token (kept for this tab only by the store).
 */
import { useId, useState } from 'preact/hooks';
import type { ConsoleError } from '../connection.js';
import { errorText } from '../words.js';

/** Props of `SignIn`. */
export interface SignInProps {
  error: ConsoleError | null;
  onSignIn: (token: string) => void;
}

/** The form shown until a token is accepted. */
export function SignIn({ error, onSignIn }: SignInProps) {
  const [token, setToken] = useState('');
  const id = useId();
  const errId = useId();
  return (
    <main class="sign-in">
      <h1>Parley console</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSignIn(token);
        }}
      >
        <label for={id}>Agent token</label>
        <input
          id={id}
          type="password"
          autocomplete="off"
          value={token}
          aria-describedby={error ? errId : undefined}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        {error && (
          <p id={errId} class="error" role="alert">
            {errorText(error)}
          </p>
        )}
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
      <p class="hint">The relay prints a demo agent token when it starts with --demo; make more with: parley-relay agent add --name "Your Name".</p>
    </main>
  );
}
