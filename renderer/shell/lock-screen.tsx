import { useId, useRef, useState } from 'react';
import type { Operator } from '../../shared/api/model.ts';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';

/**
 * The screen of a session locked after inactivity (docs/architecture.md §8): the signed-in
 * operator's PIN opens it again with the patient kept; another badge and PIN takes the screen
 * over (the hub clears the patient). Nothing of the patient or the readings is shown here.
 */
export function LockScreen({ operator, onUnlocked }: { operator: Operator | undefined; onUnlocked: () => void }): React.JSX.Element {
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
    if (pin.length < 4) {
      pinRef.current?.focus();
      return setError('Enter your PIN (at least 4 digits).');
    }
    const other = badge.trim();
    setBusy(true);
    const result = other === '' || other === operator?.badgeId ? await store.call('unlock', { pin }) : await store.call('signIn', { badgeId: other, pin });
    setBusy(false);
    setPin('');
    if (!result.ok) {
      setError(errorText(result.error));
      pinRef.current?.focus();
      return;
    }
    setError(undefined);
    setBadge('');
    onUnlocked();
    store.notify(result.value.id === operator?.id ? 'Unlocked.' : `Signed in as ${result.value.name}.`);
    await store.load();
  };

  return (
    <main className="sign-in" aria-labelledby={ids.title} data-testid="lock-screen">
      <h1 id={ids.title} data-testid="lock-title">
        Locked — {operator?.name ?? 'nobody'}
      </h1>
      <p>Enter your PIN, or scan another badge.</p>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={ids.pin}>PIN</label>
        <input
          id={ids.pin}
          ref={pinRef}
          data-testid="lock-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          maxLength={64}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
        <label htmlFor={ids.badge}>Another badge (scan or type; leave empty to unlock)</label>
        <input
          id={ids.badge}
          data-testid="lock-badge"
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
          value={badge}
          onChange={(e) => setBadge(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && pin === '') {
              e.preventDefault();
              pinRef.current?.focus();
            }
          }}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary" data-testid="lock-submit" disabled={busy}>
            {badge.trim() === '' || badge.trim() === operator?.badgeId ? 'Unlock' : 'Sign in with this badge'}
          </button>
        </div>
        <p className="form-error" aria-live="assertive" data-testid="lock-error">
          {error}
        </p>
      </form>
    </main>
  );
}
