/**
 * Headers that belong to one hop, not to the request or answer being
 * forwarded, for both ways the run sends a target's provider calls to its
 * mock (the Node preload and the TLS front).
 */

/** Connection-level headers of the hop to the real host, not of the hop to the mock. */
export const HOP_HEADERS = ['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'upgrade', 'expect', 'te', 'trailer', 'proxy-connection'];

/** The body handed back is already decoded, and its length is the buffer's. */
export const DECODED_RESPONSE_HEADERS = ['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'];
