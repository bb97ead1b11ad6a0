import { useEffect, useMemo, useRef, useState } from 'react';
import type { DriverInfo } from '../../shared/api/contract.ts';
import { errorText } from '../format/words.ts';
import { useQuery } from '../history/use-query.ts';
import { useHub } from '../state/use-hub.tsx';
import { ConfigPanel } from './config-panel.tsx';
import { ConfigFollowPanel } from './config-follow-panel.tsx';
import { DiscoveryBar } from './discovery-bar.tsx';
import { PortAddForm } from './port-add-form.tsx';
import { PortList } from './port-list.tsx';
import { PortSetup } from './port-setup.tsx';
import { SimulatorsPanel } from './simulators-panel.tsx';
import { TraceRecord } from './trace-record.tsx';
import { TraceReplay } from './trace-replay.tsx';
import { TraceView } from './trace-view.tsx';
import { usePorts } from './use-ports.ts';

const NO_DRIVERS: readonly DriverInfo[] = [];

/** The biomed console: ports and devices, one port's setup and live trace, replay, simulators, the configuration file. */
export function BiomedScreen(): React.JSX.Element {
  const role = useHub((s) => s.state?.operator?.role);
  if (role !== 'admin' && role !== 'biomed') {
    return (
      <section className="panel" aria-labelledby="devices-title">
        <h2 id="devices-title" className="panel-title">
          Devices
        </h2>
        <p className="empty">The device console is for biomedical engineers and administrators.</p>
      </section>
    );
  }
  return <Console />;
}

function Console(): React.JSX.Element {
  const { ports, error, reload } = usePorts();
  const driverList = useQuery('listDrivers', {}, []);
  const drivers = driverList.status === 'ok' ? driverList.value : NO_DRIVERS;
  const byId = useMemo(() => new Map(drivers.map((d) => [d.id, d])), [drivers]);
  const [selectedId, setSelectedId] = useState<string>();
  const selected = ports?.find((p) => p.id === selectedId);
  const detailTitle = useRef<HTMLHeadingElement>(null);
  const [focusDetail, setFocusDetail] = useState(0);

  // Opening a port moves the keyboard to its setup (which is below the list).
  useEffect(() => {
    if (focusDetail > 0) detailTitle.current?.focus();
  }, [focusDetail]);

  const open = (id: string): void => {
    setSelectedId(id);
    setFocusDetail((n) => n + 1);
  };

  return (
    <>
      <section className="panel" aria-labelledby="ports-title">
        <h2 id="ports-title" className="panel-title">
          Ports and devices
        </h2>
        <p className="panel-hint">Every serial port and USB device this workstation sees, the driver matched to it, and how it is doing.</p>
        <DiscoveryBar ports={ports} />
        {error && <p className="form-error">{errorText(error)}</p>}
        {driverList.status === 'error' && <p className="form-error">{errorText(driverList.error)}</p>}
        {ports === undefined && !error && <p className="empty">Loading…</p>}
        {ports?.length === 0 && <p className="empty">No ports or devices seen. Plug in a device, or add a port by path below.</p>}
        {ports && ports.length > 0 && <PortList ports={ports} drivers={byId} selected={selectedId} onSelect={(p) => open(p.id)} />}
        <PortAddForm onAdded={(p) => open(p.id)} />
      </section>
      {selected && (
        <section className="panel port-detail" aria-labelledby="port-detail-title" data-testid="port-detail">
          <h2 id="port-detail-title" ref={detailTitle} tabIndex={-1} className="panel-title">
            Port <code>{selected.path}</code>
          </h2>
          {/* Keyed on the drivers having arrived too, so the settings start from the driver defaults. */}
          <PortSetup key={`${selected.id}/${driverList.status}`} port={selected} drivers={drivers} />
          <TraceRecord key={`rec-${selected.id}`} port={selected} />
          <TraceView key={`trace-${selected.id}`} portId={selected.id} path={selected.path} />
        </section>
      )}
      <TraceReplay drivers={drivers} preferred={selected?.assignment?.driverId} />
      <SimulatorsPanel drivers={drivers} />
      <ConfigPanel onImported={reload} />
      <ConfigFollowPanel onApplied={reload} />
    </>
  );
}
