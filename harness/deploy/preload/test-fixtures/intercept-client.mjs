// Makes the one request described by argv[2] (JSON {client, method, url, body?, headers?})
// and prints the outcome as one JSON line: {status, headers, body, url} or {error: {message, code}}.
// client 'child' runs the same request in a grandchild (plain `node`, no flags)
// to show that NODE_OPTIONS carries the preload down; 'socket' opens a raw TCP connection.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { request as httpsRequest } from 'node:https';

const spec = JSON.parse(process.argv[2]);
const print = (outcome) => process.stdout.write(`${JSON.stringify(outcome)}\n`);
const failed = (error) => print({ error: { message: error.message, code: error.code, causeMessage: error.cause?.message } });

function viaFetch() {
  return fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body }).then(
    async (response) => print({ status: response.status, headers: Object.fromEntries(response.headers), body: await response.text(), url: response.url }),
    failed,
  );
}

// node:https through a named import (the ESM facade), node:http through the module object: both must be patched.
function viaNodeRequest(request) {
  return new Promise((resolve) => {
    const req = request(spec.url, { method: spec.method, headers: spec.headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(print({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })));
    });
    req.on('error', (error) => resolve(failed(error)));
    if (spec.body !== undefined) req.write(spec.body);
    req.end();
  });
}

if (spec.client === 'fetch') await viaFetch();
else if (spec.client === 'https') await viaNodeRequest(httpsRequest);
else if (spec.client === 'http') await viaNodeRequest(http.request);
else if (spec.client === 'socket') {
  // A raw TCP connection, which no HTTP interceptor sees: the backstop's case.
  const url = new URL(spec.url);
  await new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 443) }, () => resolve(print({ connected: true })));
    socket.on('error', (error) => resolve(failed(error)));
  });
} else if (spec.client === 'child') {
  const inner = JSON.stringify({ ...spec, client: spec.inner });
  process.stdout.write(execFileSync(process.execPath, [process.argv[1], inner], { encoding: 'utf8' }));
} else failed(new Error(`unknown client ${spec.client}`));
