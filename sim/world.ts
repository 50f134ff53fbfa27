import { SimClock } from "./control/clock.ts";
import { Faults } from "./control/faults.ts";
import { IdFactory } from "./control/ids.ts";
import { cloudTrailDetail, type TrailRecord } from "./events/cloudtrail.ts";
import { type EventBridgeEvent, EventLog } from "./events/event-log.ts";
import { Ec2State } from "./services/ec2/ec2-state.ts";
import { EksState } from "./services/eks/eks-state.ts";
import { Elbv2State } from "./services/elbv2/elbv2-state.ts";
import { EventBusState } from "./services/eventbridge/event-bus-state.ts";

export const DEFAULT_ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "us-east-1";

/**
 * One simulated AWS account and region: every service's state, one clock, one id factory and
 * the log of events put on its buses. Services reach each other only through this object.
 */
export class SimWorld {
  public readonly accountId: string;
  public readonly region: string;
  public readonly clock = new SimClock();
  public readonly ids = new IdFactory();
  public readonly events = new EventLog();
  /** Throttling, injected errors and latency (`POST /_sim/faults`), reset with the world. */
  public readonly faults = new Faults();
  public readonly ec2: Ec2State;
  public readonly elbv2: Elbv2State;
  public readonly eks: EksState;
  public readonly buses: EventBusState;

  public constructor(accountId = DEFAULT_ACCOUNT_ID, region = DEFAULT_REGION) {
    this.accountId = accountId;
    this.region = region;
    this.ec2 = new Ec2State(this);
    this.elbv2 = new Elbv2State(this);
    this.eks = new EksState(this);
    this.buses = new EventBusState(this);
  }

  /** Put an AWS service event (`aws.ec2`, …) on the default bus. */
  public emit(source: string, detailType: string, detail: Record<string, unknown>, resources: string[] = []): void {
    const event: EventBridgeEvent = {
      version: "0",
      id: this.ids.uuid(),
      "detail-type": detailType,
      source,
      account: this.accountId,
      time: this.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z"),
      region: this.region,
      resources,
      detail,
    };
    this.events.append("default", event);
  }

  /** Record a mutating API call as CloudTrail delivers it to EventBridge. */
  public trail(source: string, record: TrailRecord): void {
    const at = this.clock.now();
    this.emit(source, "AWS API Call via CloudTrail", cloudTrailDetail(record, at, this.ids.uuid(), this.region));
  }
}
