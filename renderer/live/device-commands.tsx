import { useState } from 'react';
import type { DeviceStatus } from '../../shared/api/model.ts';
import { usePageStateStore } from '../state/use-hub.tsx';

type Command = NonNullable<DeviceStatus['commands']>[number];

/**
 * The device's own commands (Start BP, Cancel BP …) as buttons on its live card, with the
 * device's answer shown under them: the assistant sees at once whether the monitor took the
 * command. The result itself arrives as a reading, like any other.
 */
export function DeviceCommands({ device, commands }: { device: DeviceStatus; commands: readonly Command[] }): React.JSX.Element {
  const store = usePageStateStore();
  const [busy, setBusy] = useState(false);
  // `n` numbers the answers: the monitor answers a second Start BP with the same words, and the
  // page (and whoever watches it, a test included) must still see that a new answer came.
  const [answer, setAnswer] = useState<{ label: string; text: string; ok: boolean; n: number } | undefined>();

  const send = async (command: Command): Promise<void> => {
    setBusy(true);
    const result = await store.call('deviceCommand', { deviceKey: device.key, command: command.id });
    setBusy(false);
    if (!result.ok) {
      setAnswer((a) => ({ label: command.label, text: result.error.message, ok: false, n: (a?.n ?? 0) + 1 }));
      return store.notifyError(result.error);
    }
    const { accepted, reply } = result.value;
    setAnswer((a) => ({ label: command.label, text: accepted ? `the device accepted it (${reply})` : `the device did not accept it: ${reply}`, ok: accepted, n: (a?.n ?? 0) + 1 }));
  };

  return (
    <div className="device-commands" data-testid={`commands-${device.key}`}>
      {commands.map((c) => (
        <button key={c.id} type="button" className="button" data-testid={`command-${c.id}-${device.key}`} disabled={busy} onClick={() => void send(c)}>
          {c.label}
        </button>
      ))}
      {answer && (
        <p className={`command-answer${answer.ok ? '' : ' command-answer--refused'}`} role="status" data-testid={`command-answer-${device.key}`} data-answer={answer.n}>
          {answer.label}: {answer.text}
        </p>
      )}
    </div>
  );
}
