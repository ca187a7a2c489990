/** Which loopback ports a process's variables name. */
import { describe, expect, it } from 'vitest';
import { loopbackPorts } from './loopback-ports.ts';

describe('loopbackPorts', () => {
  it('reads URLs and host:port on 127.0.0.1, localhost and [::1], once each, in order', () => {
    expect(loopbackPorts(['http://127.0.0.1:4100/', 'redis://localhost:6390/0', 'http://[::1]:81', '127.0.0.1:4100', 'a=localhost:22,b'])).toEqual([22, 81, 4100, 6390]);
  });

  it('leaves other hosts, other 127.x addresses, names ending in "localhost" and impossible ports alone', () => {
    expect(loopbackPorts(['https://github.com:443', 'http://127.0.0.10:80', 'http://127.0.0.1', 'my.localhost:90', 'notlocalhost:91', 'localhost:70000', 'localhost:0'])).toEqual([]);
  });
});
