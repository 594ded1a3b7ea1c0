// A hop's stream to the next hop of a ProxyJump chain, through the previous hop's connection.
import type { NodeSSH } from 'node-ssh';
import type { Duplex } from 'node:stream';
import { ConnectError } from '../errors.js';
import { describeHop, hostPort, type Hop } from './resolve-target.js';

export function forwardOut(name: string, via: NodeSSH, viaHop: Hop, to: Hop): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.connection!.forwardOut('127.0.0.1', 0, to.host, to.port, (err, stream) => {
      if (err) reject(new ConnectError(name, `jump host ${describeHop(viaHop)} cannot open a connection to ${hostPort(to.host, to.port)}: ${err.message}`, 'check the address and that the jump host allows TCP forwarding (AllowTcpForwarding)'));
      else resolve(stream);
    });
  });
}
