/**
 * The InsuLinx speaks the FreeStyle HID link of the Neo unchanged (PROTOCOL.md §2): the report
 * framing, text replies and multi-record trailers live in the family.
 */
export * from '../../families/freestyle-hid/protocol.ts';
