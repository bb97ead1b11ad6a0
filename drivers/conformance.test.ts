import { defineConformanceSuite } from './kit/conformance.ts';
import { linkKinds } from './kit/index.ts';
import { DRIVERS } from './index.ts';

for (const driver of DRIVERS) {
  defineConformanceSuite(driver);
  // A driver that takes further links (manifest `otherTransports`) is checked on each one its
  // simulator can play in memory: a serial byte stream or HID reports.
  for (const kind of linkKinds(driver.manifest).slice(1)) {
    if (kind === 'serial' || kind === 'hid') defineConformanceSuite(driver, { link: kind });
  }
}
