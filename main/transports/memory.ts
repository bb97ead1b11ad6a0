/**
 * The in-memory Link pair lives in the driver kit (drivers and their conformance tests use it
 * without touching main/); re-exported here so main code finds every transport in one folder.
 */
export { createLinkPair, byteChunks, randomChunks, wholeChunks, type Chunker, type LinkPair } from '../../drivers/kit/index.ts';
