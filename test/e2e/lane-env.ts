// vitest setupFiles of the e2e project: before a file's modules load, points this worker at a lane's
// lab (lanes.ts), so teqlctl, `teqlctl lab ...` and the helpers all reach the same routers.
import { claimLane, laneEnv } from './lanes.js';

// Once per worker process: laneEnv reads the lab folder and ports from the environment it changes.
if (process.env.TEQLCTL_E2E_LANE === undefined) {
  const lane = await claimLane();
  Object.assign(process.env, laneEnv(lane), { TEQLCTL_E2E_LANE: String(lane) });
}
