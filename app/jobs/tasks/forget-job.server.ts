import { forgetJobTask } from "../contracts";
import { defineTask } from "../define-task";
import { RetryableError } from "../errors";

/**
 * Removes one finished job's row from the queue. shop/redact deletes every job of the shop but
 * its own, which is still running and names the shop in its payload; this runs after it and
 * takes that last trace away. Its own payload is a queue name and an opaque job id, nothing of
 * the shop.
 */
export const forgetJob = defineTask({
  ...forgetJobTask,
  async run({ queue, jobId }, { forgetFinishedJob }) {
    if ((await forgetFinishedJob(queue, jobId)) === "unfinished") {
      throw new RetryableError(`Job ${jobId} of ${queue} has not finished yet`);
    }
  },
});
