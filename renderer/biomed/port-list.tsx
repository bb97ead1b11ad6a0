import type { DriverInfo } from '../../shared/api/contract.ts';
import { DEVICE_ROLE_WORDS } from '../../shared/device-role.ts';
import type { Port } from '../../shared/api/ports-model.ts';
import { formatInstant } from '../format/words.ts';
import { MATCH_SYMBOL, MATCH_TEXT, TRANSPORT_TEXT, portStateText, settingsText, usbText } from './words.ts';

interface PortListProps {
  readonly ports: readonly Port[];
  readonly drivers: ReadonlyMap<string, DriverInfo>;
  readonly selected: string | undefined;
  readonly onSelect: (port: Port) => void;
}

/** Every port and USB device the hub knows: what it is, what matched it, its state and health. */
export function PortList({ ports, drivers, selected, onSelect }: PortListProps): React.JSX.Element {
  return (
    <ul className="port-list" aria-label="Ports and devices">
      {ports.map((port) => (
        <PortCard key={port.id} port={port} drivers={drivers} selected={port.id === selected} onSelect={() => onSelect(port)} />
      ))}
    </ul>
  );
}

function PortCard({ port, drivers, selected, onSelect }: { port: Port; drivers: ReadonlyMap<string, DriverInfo>; selected: boolean; onSelect: () => void }): React.JSX.Element {
  const { health, assignment, match } = port;
  const driverName = (id: string): string => drivers.get(id)?.name ?? id;
  return (
    <li className={`port-card port-card--${port.state}${selected ? ' port-card--selected' : ''}`} data-testid={`port-${port.id}`} data-state={port.state}>
      <div className="port-head">
        <h3 className="port-path">
          <code>{port.path}</code>
        </h3>
        <span className={`port-state port-state--${port.state}`} data-testid={`port-state-${port.id}`}>
          {portStateText(port)}
          {port.connections !== undefined && ` · ${port.connections === 1 ? '1 device connected' : `${port.connections} devices connected`}`}
          {port.recording && ' · Recording'}
        </span>
      </div>
      <dl className="port-facts">
        <div>
          <dt>Kind</dt>
          <dd>
            {TRANSPORT_TEXT[port.transport]}
            {port.origin === 'manual' && ' (added by hand)'}
          </dd>
        </div>
        {port.usb && (
          <div>
            <dt>USB</dt>
            <dd>{usbText(port.usb)}</dd>
          </div>
        )}
        <div className="port-fact--wide">
          <dt>Match</dt>
          <dd className={`port-match port-match--${match.kind}`} data-testid={`port-match-${port.id}`} data-kind={match.kind}>
            <span aria-hidden="true">{MATCH_SYMBOL[match.kind]} </span>
            <strong>{MATCH_TEXT[match.kind]}:</strong> {match.message}
          </dd>
        </div>
        <div>
          <dt>Driver</dt>
          <dd data-testid={`port-driver-name-${port.id}`}>
            {assignment ? (
              <>
                {driverName(assignment.driverId)}
                <span className="cell-note">
                  {assignment.by === 'discovery' ? ' chosen by discovery' : ' chosen by a person'}
                  {assignment.settings && ` · ${settingsText(assignment.settings)}`}
                  {assignment.autoConnect ? ' · connects on its own' : ' · connect by hand'}
                  {centralText(assignment)}
                </span>
              </>
            ) : (
              'None assigned'
            )}
          </dd>
        </div>
        {assignment?.role && (
          <div>
            <dt>Role</dt>
            <dd data-testid={`port-role-name-${port.id}`} data-role={assignment.role}>
              {DEVICE_ROLE_WORDS[assignment.role]}
              <span className="cell-note">{assignment.roleChosen ? ' · chosen by biomed staff' : assignment.roleFromCentral ? ' · from central configuration' : ' · the driver’s default'}</span>
            </dd>
          </div>
        )}
        <div>
          <dt>Device</dt>
          <dd>{port.deviceKey ?? '—'}</dd>
        </div>
      </dl>
      <dl className="port-health" aria-label={`Health of ${port.path}`} data-testid={`port-health-${port.id}`}>
        <div>
          <dt>Last seen</dt>
          <dd>{health.lastSeen ? formatInstant(health.lastSeen, true) : 'Never'}</dd>
        </div>
        <div>
          <dt>Readings</dt>
          <dd>{health.readings}</dd>
        </div>
        <div className={health.checksumErrors > 0 ? 'port-health--bad' : undefined}>
          <dt>Checksum errors</dt>
          <dd>{health.checksumErrors}</dd>
        </div>
        <div className={health.timeouts > 0 ? 'port-health--bad' : undefined}>
          <dt>Timeouts</dt>
          <dd>{health.timeouts}</dd>
        </div>
        <div>
          <dt>Sessions</dt>
          <dd>{health.sessions}</dd>
        </div>
      </dl>
      {health.lastError && <p className="port-error">Last error: {health.lastError}</p>}
      {health.hints.length > 0 && (
        <ul className="port-hints" data-testid={`port-hints-${port.id}`} aria-label={`Hints for ${port.path}`}>
          {health.hints.map((hint) => (
            <li key={hint}>{hint}</li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="button" className={`button${selected ? ' button--primary' : ''}`} data-testid={`port-open-${port.id}`} aria-pressed={selected} onClick={onSelect}>
          {selected ? 'Shown below' : 'Set up and trace'}
          <span className="visually-hidden"> {port.path}</span>
        </button>
      </div>
    </li>
  );
}

/** The central option values in force on a port (those it does not set itself), as a note. */
function centralText(assignment: NonNullable<Port['assignment']>): string {
  const inForce = Object.entries(assignment.centralOptions ?? {}).filter(([key]) => assignment.options?.[key] === undefined);
  return inForce.length === 0 ? '' : ` · from central configuration: ${inForce.map(([k, v]) => `${k} ${String(v)}`).join(', ')}`;
}
