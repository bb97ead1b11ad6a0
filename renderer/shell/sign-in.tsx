import { useId, useRef, useState } from 'react';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';

/**
 * Sign in by badge and PIN. A badge scanner types the id and Enter, which moves on to the PIN;
 * an error from the hub is shown in its plain words.
 */
export function SignIn(): React.JSX.Element {
  const store = usePageStateStore();
  const [badge, setBadge] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const ids = { badge: useId(), pin: useId(), title: useId() };

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    if (!badge.trim()) return setError('Scan your badge or type its number.');
    if (pin.length < 4) {
      pinRef.current?.focus();
      return setError('Enter your PIN (at least 4 digits).');
    }
    setBusy(true);
    const result = await store.call('signIn', { badgeId: badge.trim(), pin });
    setBusy(false);
    setPin('');
    if (!result.ok) {
      setError(errorText(result.error));
      pinRef.current?.focus();
      return;
    }
    setError(undefined);
    store.notify(`Signed in as ${result.value.name}.`);
    await store.load();
  };

  const onBadgeKey = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter' && pin === '') {
      e.preventDefault();
      pinRef.current?.focus();
    }
  };

  return (
    <main className="sign-in" aria-labelledby={ids.title}>
      <h1 id={ids.title}>Sign in</h1>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={ids.badge}>Badge (scan or type)</label>
        <input
          id={ids.badge}
          data-testid="signin-badge"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          value={badge}
          onChange={(e) => setBadge(e.target.value)}
          onKeyDown={onBadgeKey}
        />
        <label htmlFor={ids.pin}>PIN</label>
        <input
          id={ids.pin}
          ref={pinRef}
          data-testid="signin-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary" data-testid="signin-submit" disabled={busy}>
            Sign in
          </button>
        </div>
        <p className="form-error" aria-live="assertive" data-testid="signin-error">
          {error}
        </p>
      </form>
    </main>
  );
}
