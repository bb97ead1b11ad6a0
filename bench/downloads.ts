/**
 * `npm run bench:downloads`: only the meter download table of `npm run bench` — every
 * meter on a wire (serial, HID, USB) reads its simulator's 500-record memory over a link paced at the real
 * speed (virtual clock), and the time is printed beside the wire time. Asserts nothing.
 */
import { DRIVERS } from '../drivers/index.ts';
import { WIRE_TIME_RULE, describeDownloads, measureDownloadTime, wireMeters, type DownloadTimeResult } from './download-time.ts';

const results: DownloadTimeResult[] = [];
for (const driver of wireMeters(DRIVERS)) {
  const r = await measureDownloadTime(driver, true);
  results.push(r);
  if (r.warning) console.error(`  !!! ${r.driver}: ${r.warning}`);
}
console.log('Download time of 500 records at the real link speed (virtual clock)');
console.log(describeDownloads(results));
console.log(WIRE_TIME_RULE);
