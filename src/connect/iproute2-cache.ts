// Where one connection's router keeps its iproute2 `ip` and `tc`: found by the first script that
// runs them (its preamble probes with `ip -V` and `tc -V` and says where on stderr), then given to
// every later script over the same connection, whose preamble only checks they are still there:
// two processes fewer per round trip (~60 ms each on an emulated router, issue 17).
import type { StagedStdin } from './exec-command.js';
import { foundIproute2, iproute2Preamble, type Iproute2Paths } from '../router/iproute2.js';

export class Iproute2Cache {
  private paths: Iproute2Paths | undefined;

  /** The preamble of a script sent now. */
  preamble(): string {
    return iproute2Preamble(undefined, this.paths ? { known: this.paths } : { announce: true }) + '\n';
  }

  /** A script's stderr without the preamble's line, noting where it found ip and tc. */
  learn(stderr: string): string {
    const found = foundIproute2(stderr);
    if (found.paths) this.paths = found.paths;
    return found.stderr;
  }

  /**
   * A staged script may wait at its barrier long after its preamble spoke (the facts, while the
   * plan is made): its stderr is read as it comes, so the next script (the apply) already knows.
   */
  watch(stdin: StagedStdin): StagedStdin {
    let err = '';
    stdin.onStderr = (chunk) => {
      if (this.paths || err.length > 4096) return;
      err += chunk.toString();
      const found = foundIproute2(err.slice(0, err.lastIndexOf('\n') + 1));
      if (found.paths) this.paths = found.paths;
    };
    return stdin;
  }
}
