// Preloaded into the `pochub serve` child of the soak (`node --expose-gc --import <this>`): on
// each {type: 'sample'} message over the IPC channel it answers with the process's memory and the
// event-loop delay since the previous sample. Plain JavaScript so it loads before tsx.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const MB = 1024 * 1024;

process.on('message', (message) => {
  // A heap snapshot on request, to find what grows (compare two in Chrome DevTools' Memory tab).
  if (message?.type === 'snapshot') {
    process.send?.({ type: 'snapshot', file: writeHeapSnapshot(message.file) });
    return;
  }
  if (message?.type !== 'sample') return;
  const eventLoopP99Ms = delay.percentile(99) / 1e6;
  const eventLoopMaxMs = delay.max / 1e6;
  // Live memory only: garbage not yet collected is not a leak.
  globalThis.gc?.();
  const mem = process.memoryUsage();
  process.send?.({ type: 'sample', rssMb: mem.rss / MB, heapUsedMb: mem.heapUsed / MB, externalMb: mem.external / MB, eventLoopP99Ms, eventLoopMaxMs });
  delay.reset();
});
// The channel must not keep the hub alive once `serve` has stopped.
process.channel?.unref();
