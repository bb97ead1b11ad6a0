import type { BundleEntry, Device } from '@medplum/fhirtypes';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { HUB_SYSTEM, entryUuid, slug, tokenQuery, urnUuid } from './ids.ts';

/**
 * Device entries of a bundle: the meter/monitor that performed the measurement and the hub that
 * assembled the result. Both are conditional creates on their identifier, so the EHR keeps one
 * Device per physical meter and per workstation however many readings arrive.
 */

interface DeviceIdentifier {
  readonly system: string;
  readonly value: string;
}

/**
 * The meter's identifier: `urn:pochub:device-serial:<manufacturer>:<model>|<serial>`. Serial
 * numbers are only unique within one manufacturer's model line, hence the slugs in the system.
 * A device that reports no serial is identified by manufacturer + model alone
 * (`urn:pochub:device-model|<manufacturer>:<model>`): stable across readings, but it stands for
 * every unit of that model at this clinic rather than one physical unit.
 */
export function meterIdentifier(device: DeviceIdentity): DeviceIdentifier {
  const mfr = slug(device.manufacturer);
  const model = slug(device.model);
  const serial = device.serial?.trim();
  if (serial) return { system: `urn:pochub:device-serial:${mfr}:${model}`, value: identifierSafe(serial) };
  return { system: 'urn:pochub:device-model', value: `${mfr}:${model}` };
}

/**
 * The serial as an identifier value. FHIR escapes `|` inside a token search as `\|`, but not
 * every server honours that (Medplum's fhir-router splits on the first `|` regardless), and then
 * the conditional create never matches and every replay adds a Device. `%` and `|` are therefore
 * percent-encoded (an injective, stable mapping); `serialNumber` keeps the serial exactly.
 */
function identifierSafe(serial: string): string {
  return serial.replace(/%/g, '%25').replace(/\|/g, '%7C');
}

function hubIdentifier(workstation: string): DeviceIdentifier {
  return { system: HUB_SYSTEM, value: workstation };
}

function deviceEntry(id: DeviceIdentifier, resource: Omit<Device, 'resourceType' | 'identifier'>): BundleEntry<Device> {
  return {
    fullUrl: urnUuid(entryUuid(`device/${id.system}|${id.value}`)),
    resource: { resourceType: 'Device', identifier: [{ system: id.system, value: id.value }], ...resource },
    request: { method: 'POST', url: 'Device', ifNoneExist: tokenQuery('identifier', id.system, id.value) },
  };
}

/** The meter or monitor that measured the reading. */
export function meterDeviceEntry(device: DeviceIdentity): BundleEntry<Device> {
  const serial = device.serial?.trim();
  return deviceEntry(meterIdentifier(device), {
    manufacturer: device.manufacturer,
    deviceName: [{ name: device.model, type: 'model-name' }],
    modelNumber: device.model,
    ...(serial ? { serialNumber: serial } : {}),
    ...(device.firmware ? { version: [{ type: { text: 'firmware' }, value: device.firmware }] } : {}),
  });
}

/** This workstation's POC Hub, the software that assembled and sent the result. */
export function hubDeviceEntry(workstation: string): BundleEntry<Device> {
  return deviceEntry(hubIdentifier(workstation), {
    manufacturer: 'POC Hub',
    deviceName: [
      { name: `POC Hub on ${workstation}`, type: 'user-friendly-name' },
      { name: 'POC Hub', type: 'model-name' },
    ],
    type: { text: 'Point-of-care device hub (software)' },
  });
}
