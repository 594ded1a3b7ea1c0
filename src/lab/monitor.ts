// Talks to a router's QEMU monitor over its unix socket: one command, its answer.
import { createConnection } from 'node:net';
import { LabError } from '../errors.js';

const PROMPT = '(qemu) ';

export function monitorCommand(socket: string, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = createConnection(socket);
    let buffer = '';
    let sent = false;
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new LabError(`QEMU monitor ${socket} did not answer "${command}"`, 'is the router running? `teqlctl lab status`'));
    }, timeoutMs);
    conn.on('error', (err) => {
      clearTimeout(timer);
      reject(new LabError(`cannot reach the QEMU monitor ${socket}: ${err.message}`, 'start the lab with `teqlctl lab up` (routers booted before this version have no monitor: `lab down` then `lab up`)'));
    });
    conn.on('data', (chunk) => {
      buffer += chunk.toString();
      if (!buffer.endsWith(PROMPT)) return;
      if (!sent) {
        sent = true;
        buffer = '';
        conn.write(command + '\n');
        return;
      }
      clearTimeout(timer);
      conn.end();
      // The monitor echoes the command line; what follows, up to the prompt, is the answer.
      resolve(buffer.slice(0, -PROMPT.length).split('\n').slice(1).join('\n').trim());
    });
  });
}
