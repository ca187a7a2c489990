/**
 * The two moves every relay across a network namespace makes, shared by the
 * relay inside a host's namespace (netns-relay.mjs), its harness side
 * (host-network.ts) and the TLS front: read the one-line preamble a relayed
 * connection starts with (the port it is for, or the pid of the client),
 * then join two sockets into one connection.
 */

/** The first line of `socket` (without its newline); what came after it stays unread, for whoever takes the socket next. */
export function readPreamble(socket, limit = 256) {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const done = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', reject);
    };
    const onData = (chunk) => {
      seen = Buffer.concat([seen, chunk]);
      const end = seen.indexOf(10);
      if (end === -1) {
        if (seen.length > limit) {
          done();
          reject(new Error(`no preamble line within ${limit} bytes`));
        }
        return;
      }
      done();
      // Paused before anything else can read: the bytes after the line belong to the connection.
      socket.pause();
      const rest = seen.subarray(end + 1);
      if (rest.length) socket.unshift(rest);
      resolve(seen.subarray(0, end).toString('utf8'));
    };
    const onEnd = () => {
      done();
      reject(new Error('closed before its preamble line'));
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', reject);
  });
}

/**
 * Joins two sockets (both made with allowHalfOpen): each one's bytes go to
 * the other, an end is passed on as an end (a client that half-closes still
 * gets its answer), and a side cut short (an error, a reset) cuts the other.
 */
export function splice(a, b) {
  for (const [from, to] of [
    [a, b],
    [b, a],
  ]) {
    from.pipe(to);
    from.on('error', () => to.destroy());
    // Closed without reading its end (an error, or destroyed here): the connection was cut, not finished.
    from.on('close', () => {
      if (!from.readableEnded) to.destroy();
    });
  }
}
