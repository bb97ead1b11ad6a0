/** Trace annotation is the FreeStyle HID family's (reports, text replies, records): PROTOCOL.md §2. */
export { traceAnnotator } from '../../families/freestyle-hid/trace.ts';
