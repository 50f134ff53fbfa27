import { z } from "zod";

/** `detail` of an `EC2 Instance State-change Notification` (DOMAIN.md §5). */
export const instanceStateChangeDetailSchema = z.looseObject({
  "instance-id": z.string().regex(/^i-[0-9a-f]+$/),
  state: z.enum(["pending", "running", "stopping", "stopped", "shutting-down", "terminated"]),
});

export type InstanceStateChangeDetail = z.infer<typeof instanceStateChangeDetailSchema>;
