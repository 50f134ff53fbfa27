/** The detail-types of Branchkeeper's notifications (DESIGN.md), exactly as consumers match them. */
export const NOTIFICATION_TYPES = [
  "Branch ENI Leaked",
  "Branch ENI Deleted",
  "Cluster Tag Changed",
  "Cluster Tag Conflict",
  "Backend Rule Changed",
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** `source` of every notification. */
export const NOTIFICATION_SOURCE = "branchkeeper";

/** One notification; `detail` is serialized as JSON and must name the cluster. */
export interface Notification {
  readonly type: NotificationType;
  readonly detail: { readonly cluster: string } & Readonly<Record<string, unknown>>;
  /** ARNs or ids the event is about (EventBridge `resources`). */
  readonly resources?: readonly string[];
  readonly time?: Date;
}

/** Publishes notifications; throws a typed error when some could not be delivered. */
export interface Notifier {
  /** False when notifications are switched off by configuration (no `NOTIFY_BUS_NAME`). */
  readonly enabled: boolean;
  notify(notifications: readonly Notification[]): Promise<void>;
}

/** The notifier used when no bus is configured: notifications are off by choice, so it sends nothing. */
export const disabledNotifier: Notifier = {
  enabled: false,
  notify: async () => {},
};
