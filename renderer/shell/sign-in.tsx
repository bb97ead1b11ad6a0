import { useId, useRef, useState } from 'react';
import { INPUT_LIMITS } from '../../shared/api/input-limits.ts';
import { LimitNote, overLimit } from '../components/limit-note.tsx';
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
  const ids = { badge: useId(), pin: useId(), title: useId(), badgeLimit: useId(), pinLimit: useId() };

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    if (!badge.trim()) return setError('Scan your badge or type its number.');
    const tooLong = overLimit('Badge', badge, INPUT_LIMITS.badgeId) ?? overLimit('PIN', pin, INPUT_LIMITS.pinMax, false);
    if (tooLong) return setError(tooLong);
    if (pin.length < INPUT_LIMITS.pinMin) {
      pinRef.current?.focus();
      return setError(`Enter your PIN (at least ${INPUT_LIMITS.pinMin} digits).`);
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
          aria-describedby={ids.badgeLimit}
          value={badge}
          onChange={(e) => setBadge(e.target.value)}
          onKeyDown={onBadgeKey}
        />
        <LimitNote id={ids.badgeLimit} field="Badge" value={badge} max={INPUT_LIMITS.badgeId} testId="signin-badge-limit" />
        <label htmlFor={ids.pin}>PIN</label>
        <input
          id={ids.pin}
          ref={pinRef}
          data-testid="signin-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          aria-describedby={ids.pinLimit}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
        <span id={ids.pinLimit} className={pin.length > INPUT_LIMITS.pinMax ? 'field-limit field-limit--over' : 'field-limit'} data-testid="signin-pin-limit">
          {pin.length > INPUT_LIMITS.pinMax ? `PIN: at most ${INPUT_LIMITS.pinMax} characters.` : `${INPUT_LIMITS.pinMin} to ${INPUT_LIMITS.pinMax} characters.`}
        </span>
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
