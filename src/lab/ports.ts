// Refuses to boot when a port the lab needs is taken, naming the port instead of a QEMU error.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { LabError } from '../errors.js';

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

export async function assertTcpPortFree(port: number, envVar: string): Promise<void> {
  if (!(await tcpFree(port))) {
    throw new LabError(
      `TCP port 127.0.0.1:${port} (lab SSH) is already in use`,
      `free it (ss -ltnp 'sport = :${port}' shows who holds it) or pick another port with ${envVar}=<port>`,
    );
  }
}

export async function assertUdpPortFree(port: number): Promise<void> {
  if (!(await udpFree(port))) {
    throw new LabError(
      `UDP port 127.0.0.1:${port} (a lab link) is already in use`,
      `free it: ss -lunp 'sport = :${port}' shows who holds it (a leftover QEMU? try \`teqlctl lab down\`)`,
    );
  }
}
