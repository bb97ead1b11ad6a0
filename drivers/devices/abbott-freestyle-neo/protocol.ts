/** The FreeStyle HID link layer lives in the family, shared with the InsuLinx driver (docs/adding-a-driver.md). */
export * from '../../families/freestyle-hid/protocol.ts';
