import type { DriverInfo } from '../../shared/api/contract.ts';
import type { Port, PortSettings } from '../../shared/api/ports-model.ts';
import { driverTakesPort } from '../../shared/port-transports.ts';

/** Used when a serial driver declares no defaults: the most common line setting of bedside devices. */
const FALLBACK_SETTINGS: PortSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' };

/** Does discovery's match narrow the choice (one or several drivers fit the USB id)? */
export function matchNarrows(port: Port): boolean {
  return (port.match.kind === 'one' || port.match.kind === 'several') && port.match.driverIds.length > 0;
}

/**
 * The drivers offered for a port: those discovery matched when it matched (unless the person
 * asks for all), otherwise every driver that can be read on the port's kind. The assigned driver
 * is always offered, so the form can show what is in force.
 */
export function driverChoices(port: Port, drivers: readonly DriverInfo[], showAll: boolean): DriverInfo[] {
  const assigned = port.assignment?.driverId;
  const matched = !showAll && matchNarrows(port) ? new Set(port.match.driverIds) : undefined;
  return drivers.filter((d) => d.id === assigned || (fits(port, d) && (matched === undefined || matched.has(d.id))));
}

/** The hub's own rule (shared/port-transports.ts): the form never offers a driver the hub would refuse. */
function fits(port: Port, driver: DriverInfo): boolean {
  const role = driver.tcpRole ? { role: driver.tcpRole } : {};
  return driverTakesPort(port.transport, [driver.transport, ...(driver.otherTransports ?? [])].map((type) => ({ type, ...role })));
}

/** The driver the form starts with: the assigned one, else discovery's only match; when several fit, the person chooses. */
export function initialDriver(port: Port): string {
  return port.assignment?.driverId ?? (port.match.kind === 'one' ? (port.match.driverIds[0] ?? '') : '');
}

/** The settings the form shows for a driver: those in force when it is the assigned one, else its defaults. */
export function settingsFor(port: Port, driver: DriverInfo | undefined): PortSettings {
  if (driver && port.assignment?.driverId === driver.id && port.assignment.settings) return port.assignment.settings;
  return driver?.defaults ?? FALLBACK_SETTINGS;
}

/** Serial line settings apply to serial ports driven by a driver that takes a serial link (a TCP box keeps its own). */
export function usesSerialSettings(port: Port, driver: DriverInfo | undefined): boolean {
  return port.transport === 'serial' && driver !== undefined && takesLink(driver, 'serial');
}

/** Does the driver take links of this kind (its primary `transport` or one of its `otherTransports`)? */
export function takesLink(driver: DriverInfo, kind: DriverInfo['transport']): boolean {
  return driver.transport === kind || (driver.otherTransports ?? []).includes(kind);
}
