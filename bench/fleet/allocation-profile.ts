// A sampling heap profile that keeps the samples of objects the garbage collector took as well:
// where a run's allocations (so its GC time) come from, not only what is live at its end.
// `node --heap-prof` keeps only the live ones, so this asks the inspector directly.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Starts sampling; the function it returns stops and writes the profile (.heapprofile, for Chrome's DevTools). */
export async function startAllocationProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 32768,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  return async (file) => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
